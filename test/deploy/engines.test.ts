/**
 * Every package the lock file installs runs on the Node version we promise (package.json
 * `engines`, 20.19): `npm ci` must not warn EBADENGINE. cookie 2 (via fastify → light-my-request)
 * declares Node ≥ 22, so package.json overrides it with cookie 1.1, which has the
 * `stringifySetCookie({ name, value })` form light-my-request calls.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } }>;
};

type Version = [number, number, number];

function parseVersion(text: string): { v: Version; parts: number } {
  const nums = text.replace(/^v/, '').split('.').filter((p) => p !== 'x' && p !== '*' && p !== '');
  return { v: [Number(nums[0] ?? 0), Number(nums[1] ?? 0), Number(nums[2] ?? 0)], parts: nums.length };
}

const cmp = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` satisfies one npm range comparator (the forms the lock file uses). */
function satisfiesComparator(version: Version, comparator: string): boolean {
  if (comparator === '*' || comparator === '') return true;
  const m = /^(>=|<=|>|<|\^|~|=)?\s*(.+)$/.exec(comparator)!;
  const op = m[1] ?? '=';
  const { v, parts } = parseVersion(m[2]!);
  const c = cmp(version, v);
  switch (op) {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '<':
      return c < 0;
    case '^':
      return c >= 0 && version[0] === v[0];
    case '~':
      return c >= 0 && version[0] === v[0] && (parts < 2 || version[1] === v[1]);
    default: // a bare version: "20" means 20.x.x
      return version.slice(0, parts).every((n, i) => n === v[i]);
  }
}

function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version).v;
  return range.split('||').some((alt) => {
    const comparators = alt.trim().replace(/(>=|<=|>|<)\s+/g, '$1').split(/\s+/);
    return comparators.every((c) => satisfiesComparator(v, c));
  });
}

describe('Node engine ranges', () => {
  it('the range reader agrees with npm on the forms in our lock file', () => {
    expect(satisfies('20.19.0', '>=22')).toBe(false);
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.19.0', '^20.20.0 || >=22')).toBe(false);
    expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('20.19.0', '>= 10.x')).toBe(true);
    expect(satisfies('20.19.0', '>=20.18.1')).toBe(true);
    expect(satisfies('20.19.0', '^16 || ^18')).toBe(false);
  });

  it(`every locked package accepts the Node version package.json promises (${pkg.engines.node})`, () => {
    const promised = pkg.engines.node.replace(/^>=\s*/, '');
    const refusing = Object.entries(lock.packages)
      .filter(([, p]) => p.engines?.node !== undefined && !satisfies(promised, p.engines.node))
      .map(([path, p]) => `${path}@${p.version} wants node ${p.engines!.node}`);
    expect(refusing).toEqual([]);
  });

  it('fastify inject still sends cookies with the overridden cookie package', async () => {
    const app = Fastify();
    app.get('/', async (req) => req.headers.cookie ?? '');
    const res = await app.inject({ url: '/', cookies: { session: 'a b', other: '1' } });
    expect(res.body).toBe('session=a%20b; other=1');
    await app.close();
  });
});
