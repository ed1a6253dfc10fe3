import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, loadConfigFile } from '../../src/config/load.ts';
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
      collectorFactory: (t) => ({ collect: async () => snapshot(t.name), close: async () => {} }),
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
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toMatch(/targets\[0\]\.typo: unknown key/);
    expect(await targets()).toEqual(['second']);
    const own = parseExposition((await app.inject('/metrics')).body);
    expect(sampleValue(own, 'flink_lens_config_last_reload_successful')).toBe(0);
  });

  it('any failed reload (invalid URL, empty file, an exporter that cannot be built) sets the gauge to 0, logs why and answers with the problems', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flink-lens-reload-')), 'config.yaml');
    writeFileSync(file, 'targets:\n  - { name: first, url: "http://a:8081" }\n');
    const logs: { level: number; msg: string; errors?: string[] }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as (typeof logs)[number]) });
    service = await createService({
      loadConfig: () => loadConfig({ file, env: {} }),
      logger,
      collectorFactory: (t) => {
        if (t.name === 'boom') throw new TypeError('collector cannot be built');
        return { collect: async () => snapshot(t.name), close: async () => {} };
      },
    });
    const { app } = service;
    const gauge = async () => sampleValue(parseExposition((await app.inject('/metrics')).body), 'flink_lens_config_last_reload_successful');
    const targets = async () => parseExposition((await app.inject('/metrics')).body).filter((s) => s.name === 'flink_up').map((s) => s.labels.target);
    const reload = async () => {
      logs.length = 0;
      return app.inject({ method: 'POST', url: '/-/reload' });
    };
    expect(await gauge()).toBe(1);

    writeFileSync(file, 'targets:\n  - { name: first, url: "http://a:8081/?token=s3cret" }\n');
    const query = await reload();
    expect(query.statusCode).toBe(400);
    expect(query.json<{ errors: string[] }>().errors).toEqual([`${file}:2: targets[0].url: a query string or fragment is not allowed; put tokens in auth or headers`]);
    expect(await gauge()).toBe(0);
    const logged = logs.find((l) => l.level === 50);
    expect(logged?.msg).toMatch(/config reload failed; keeping the running config: .*query string/);
    expect(JSON.stringify(logs)).not.toContain('s3cret');
    expect(query.body).not.toContain('s3cret');

    writeFileSync(file, 'targets:\n  - { name: second, url: "http://b:8081" }\n');
    expect((await reload()).statusCode).toBe(200);
    expect(await gauge()).toBe(1);

    writeFileSync(file, '');
    const empty = await reload();
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ errors: string[] }>().errors).toEqual([`${file}: the file is empty; a config needs at least targets or probe.allow`]);
    expect(await gauge()).toBe(0);
    expect(logs.some((l) => l.level === 50 && /the file is empty/.test(l.msg))).toBe(true);

    writeFileSync(file, 'targets:\n  - { name: boom, url: "http://b:8081" }\n');
    const internal = await reload();
    expect(internal.statusCode).toBe(500);
    expect(await gauge()).toBe(0);
    expect(logs.some((l) => l.level === 50 && /collector cannot be built/.test(l.msg))).toBe(true);
    // Through all of it, the last good config kept serving.
    expect(await targets()).toEqual(['second']);
  });

  it('key-group limits from a reloaded config apply to the next request', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flink-lens-reload-')), 'config.yaml');
    const config = (limits: string) => `targets:\n  - { name: a, url: "http://a:8081" }\nkeygroups: { ${limits} }\n`;
    writeFileSync(file, config('max_keys: 10'));
    service = await createService({
      loadConfig: () => loadConfig({ file, env: {} }),
      logger: pino({ level: 'silent' }),
      collectorFactory: (t) => ({ collect: async () => snapshot(t.name), close: async () => {} }),
    });
    const { app } = service;
    const assign = (keys: unknown[]) => app.inject({ method: 'POST', url: '/api/v1/keygroups/assign', payload: { keyType: 'string', keys, parallelism: 2 } });
    expect((await assign(new Array(8).fill('k'))).statusCode).toBe(200);

    writeFileSync(file, config('max_keys: 5, body_limit_bytes: 2048'));
    expect((await app.inject({ method: 'POST', url: '/-/reload' })).statusCode).toBe(200);
    const many = await assign(new Array(8).fill('k'));
    expect(many.statusCode).toBe(400);
    expect(many.json<{ message: string }>().message).toMatch(/at most 5 are allowed/);
    expect((await assign(['x'.repeat(3000)])).statusCode).toBe(413);
    // A body sent in chunks, without Content-Length, is cut off at the reloaded limit too.
    const chunked = await app.inject({
      method: 'POST',
      url: '/api/v1/keygroups/assign',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      payload: Readable.from([Buffer.from('{"keyType":"string","parallelism":2,"keys":["'), Buffer.from('y'.repeat(3000)), Buffer.from('"]}')]),
    });
    expect(chunked.statusCode).toBe(413);

    writeFileSync(file, config('max_keys: 20'));
    expect((await app.inject({ method: 'POST', url: '/-/reload' })).statusCode).toBe(200);
    expect((await assign(new Array(15).fill('k'))).statusCode).toBe(200);
    expect((await assign(['x'.repeat(3000)])).statusCode).toBe(200);
  });
});
