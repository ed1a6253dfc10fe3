/** Services for console tests: fake collectors that count their calls, and the simulator. */
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load.ts';
import type { TargetSnapshot } from '../../src/exporter/snapshot.ts';
import { createService, type Service } from '../../src/service.ts';

export const silent = pino({ level: 'silent' });

export function snapshotOf(target: string, over: Partial<TargetSnapshot> = {}): TargetSnapshot {
  return { target, startedAt: Date.now(), durationSeconds: 0.25, up: true, requests: 3, errors: new Map(), jobs: [], taskmanagers: [], ...over };
}

/** A service whose targets answer `answer(name)`; `calls` counts collections per target. */
export async function fakeService(
  yaml: string,
  answer: (target: string) => TargetSnapshot = (t) => snapshotOf(t),
): Promise<{ service: Service; calls: Map<string, number> }> {
  const calls = new Map<string, number>();
  const service = await createService({
    loadConfig: () => parseConfig(yaml, { env: {} }),
    logger: silent,
    collectorFactory: (t) => ({
      collect: async () => {
        calls.set(t.name, (calls.get(t.name) ?? 0) + 1);
        return answer(t.name);
      },
      close: async () => {},
    }),
  });
  return { service, calls };
}

/** Every `<script …>` tag of a page, and whether any lacks a src (an inline script). */
export function inlineScripts(body: string): string[] {
  return [...body.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]).filter((tag) => !/\bsrc=/.test(tag));
}
