import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.ts';
import type { TargetSnapshot } from '../../src/exporter/snapshot.ts';
import { createService, type Service } from '../../src/service.ts';
import { parseExposition, sampleValue } from '../helpers/exposition.ts';

const snapshot = (target: string): TargetSnapshot => ({
  target,
  startedAt: Date.now(),
  durationSeconds: 0,
  up: true,
  requests: 1,
  errors: new Map(),
  jobs: [],
  taskmanagers: [],
});

let service: Service | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('config reload', () => {
  it('POST /-/reload applies a new config and keeps the old one when the new one is invalid', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flink-lens-reload-')), 'config.yaml');
    writeFileSync(file, 'targets:\n  - { name: first, url: "http://a:8081" }\n');
    service = await createService({
      loadConfig: () => loadConfigFile(file, {}),
      logger: pino({ level: 'silent' }),
      collectorFactory: () => (t) => ({ collect: async () => snapshot(t.name), close: async () => {} }),
    });
    const { app } = service;
    const targets = async () => parseExposition((await app.inject('/metrics')).body).filter((s) => s.name === 'flink_up').map((s) => s.labels.target);

    expect(await targets()).toEqual(['first']);
    writeFileSync(file, 'targets:\n  - { name: second, url: "http://b:8081" }\n');
    const ok = await app.inject({ method: 'POST', url: '/-/reload' });
    expect(ok.statusCode).toBe(200);
    expect(await targets()).toEqual(['second']);

    writeFileSync(file, 'targets:\n  - { name: third, url: "http://c:8081", typo: 1 }\n');
    const bad = await app.inject({ method: 'POST', url: '/-/reload' });
    expect(bad.statusCode).toBe(500);
    expect(bad.json<{ message: string }>().message).toMatch(/targets\[0\]\.typo: unknown key/);
    expect(await targets()).toEqual(['second']);
    const own = parseExposition((await app.inject('/metrics')).body);
    expect(sampleValue(own, 'flink_lens_config_last_reload_successful')).toBe(0);
  });
});
