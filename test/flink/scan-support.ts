/**
 * Shared by the byte scanners' tests (vertex details, back-pressure): bodies from the simulator's
 * `large` scenario, and the old path's answer as the reference a scan must equal.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { simOf } from '../sim/support/scenarios.ts';

export const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** `read(JSON.parse(text))` as `plain` shows it, or 'throws': what a scan must give or decline. */
export function referenceOf<T, P>(read: (json: unknown) => T, plain: (v: T) => P): (text: string) => P | 'throws' {
  return (text) => {
    try {
      return plain(read(JSON.parse(text)));
    } catch {
      return 'throws';
    }
  };
}

/** The answers of GET /jobs/:jid/vertices/:vid`suffix` for every vertex of the first two `large` jobs (20). */
export async function largeVertexAnswers(suffix: string): Promise<string[]> {
  const sim = simOf('large', { fetcherIntervalMs: 10_000 });
  const get = async (url: string) => (await sim.app.inject({ url })).body;
  const out: string[] = [];
  const overview = JSON.parse(await get('/jobs/overview')) as { jobs: { jid: string }[] };
  for (const { jid } of overview.jobs.slice(0, 2)) {
    const job = JSON.parse(await get(`/jobs/${jid}`)) as { vertices: { id: string }[] };
    for (const v of job.vertices) out.push(await get(`/jobs/${jid}/vertices/${v.id}${suffix}`));
  }
  await sim.app.close();
  return out;
}

/**
 * Asserts that `scan` reads every body (as given and, with `indented`, pretty-printed too) and gives
 * the reference's answer for it; returns the answers for checks of their own.
 */
export function expectScannedAsParsed<T extends object, P>(
  bodies: readonly string[],
  scan: (b: Buffer) => T | undefined,
  plain: (v: T) => P,
  reference: (text: string) => P | 'throws',
  indented: boolean,
): T[] {
  const out: T[] = [];
  for (const text of bodies) {
    for (const form of indented ? [text, JSON.stringify(JSON.parse(text), null, 2)] : [text]) {
      const got = scan(bytes(form));
      expect(got).toBeDefined();
      expect(plain(got!)).toEqual(reference(form));
      out.push(got!);
    }
  }
  return out;
}

/**
 * The property every scan keeps: on each mutated body it declines or gives the reference's answer
 * (and answers only where the reference does). Both outcomes must occur often enough to count.
 */
export function expectAnswerOrDecline<T extends object, P>(
  seeds: readonly string[],
  mutations: fc.Arbitrary<(text: string) => string>,
  scan: (b: Buffer) => T | undefined,
  plain: (v: T) => P,
  reference: (text: string) => P | 'throws',
): void {
  let answered = 0;
  let declined = 0;
  fc.assert(
    fc.property(fc.constantFrom(...seeds), mutations, (seed, mutate) => {
      const text = mutate(seed);
      const got = scan(bytes(text));
      if (got === undefined) declined++;
      else answered++;
      expect(got === undefined ? 'declined' : plain(got)).toEqual(got === undefined ? 'declined' : reference(text));
    }),
    { numRuns: 1500, seed: 20261206 },
  );
  expect(answered).toBeGreaterThan(100);
  expect(declined).toBeGreaterThan(100);
}

/** Arbitrary bytes never make `scan` throw. */
export function expectNoThrowOnBytes(scan: (b: Uint8Array) => unknown): void {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      expect(() => scan(b)).not.toThrow();
    }),
    { numRuns: 2000, seed: 7 },
  );
}
