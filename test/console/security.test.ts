/**
 * Flink-provided names are text, never markup; secrets never reach a page; the console sits
 * behind the same basic auth as every other endpoint.
 */
import { createServer } from 'node:net';
import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { createSimulator, ManualClock, type Simulator } from '../../src/sim/index.ts';
import { inlineScripts, silent } from './helpers.ts';

let service: Service | undefined;
let sim: Simulator | undefined;
afterEach(async () => {
  await service?.close();
  await sim?.close();
  service = undefined;
  sim = undefined;
});

const JOB = '<script>alert("job")</script>';
const SOURCE = '<img src=x onerror=alert(1)>';
const KEYED = '"><script>alert(2)</script><a x=\'';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('console security', () => {
  it('escapes job and vertex names served by a (simulated) JobManager', async () => {
    const clock = new ManualClock();
    sim = createSimulator({
      clock,
      fetcherIntervalMs: 0,
      scenario: {
        taskManagers: [{ count: 1, slots: 8 }],
        jobs: [
          {
            name: JOB,
            vertices: [
              { name: SOURCE, parallelism: 2, source: { rate: 1000 } },
              { name: KEYED, parallelism: 4, maxParallelism: 128, capacity: 100, inputs: [{ keys: { distribution: 'zipf', count: 1000 } }] },
            ],
          },
        ],
      },
    });
    const url = await sim.app.listen({ host: '127.0.0.1', port: 0 });
    service = await createService({ loadConfig: () => parseConfig(`targets:\n  - { name: evil, url: "${url}" }\n`, { env: {} }), logger: silent });
    clock.advance(30_000);
    await service.app.inject('/metrics');
    clock.advance(30_000);
    await service.app.inject('/metrics');

    const page = (await service.app.inject('/')).body;
    expect(page).toContain('data-state="up"');
    expect(page).toContain('&lt;script&gt;alert(&quot;job&quot;)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;&lt;a x=&#39;');
    for (const raw of [JOB, SOURCE, KEYED, '<script>alert', '<img']) expect(page).not.toContain(raw);
    expect(inlineScripts(page)).toEqual([]);

    // The "explore keys" link carries the names in its query; the explorer shows them as text.
    const link = /href="(keys\?[^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    expect(link).toContain('parallelism=4');
    const keys = (await service.app.inject(`/${link}`)).body;
    expect(keys).toContain('Prefilled from vertex <strong>&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;&lt;a x=&#39;</strong> of job <strong>&lt;script&gt;');
    expect(keys).toContain('id="parallelism" name="parallelism" type="number" min="1" max="32768" required value="4"');
    expect(keys).toContain('value="128"');
    expect(inlineScripts(keys)).toEqual([]);
    for (const raw of [JOB, KEYED]) expect(keys).not.toContain(raw);
  });

  it('never shows a target password, even when the target fails', async () => {
    const port = await closedPort();
    const password = 'pw-Zx81-never-shown';
    service = await createService({
      loadConfig: () =>
        parseConfig(`targets:\n  - name: down\n    url: "http://127.0.0.1:${port}"\n    auth: { username: flink, password: "${password}" }\n    headers: { X-Api-Key: "key-Qq77-hidden" }\n`, { env: {} }),
      logger: silent,
    });
    await service.app.inject('/probe?target=down');
    const page = (await service.app.inject('/')).body;
    expect(page).toContain('data-state="down"');
    expect(page).toMatch(/failed \(connection\)/);
    expect(page).not.toContain(password);
    expect(page).not.toContain('key-Qq77-hidden');
  });

  it('puts the console, its assets and the API docs behind basic auth', async () => {
    const hash = bcrypt.hashSync('s3cret', 4);
    service = await createService({
      loadConfig: () => parseConfig('targets:\n  - { name: a, url: "http://a:8081" }\n', { env: {} }),
      logger: silent,
      collectorFactory: (t) => ({
        collect: async () => ({ target: t.name, startedAt: Date.now(), durationSeconds: 0, up: true, requests: 0, errors: new Map(), jobs: [], taskmanagers: [] }),
        close: async () => {},
      }),
      web: { users: new Map([['admin', hash]]) },
    });
    const auth = { authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` };
    const page = await service.app.inject({ url: '/keys', headers: auth });
    expect(page.statusCode).toBe(200);
    const asset = /src="(console\/assets\/[^"]+)"/.exec(page.body)?.[1];
    expect(asset).toBeDefined();
    for (const url of ['/', '/keys', `/${asset}`, '/api/docs/', '/api/docs/static/swagger-ui-bundle.js', '/keys/balanced.csv?parallelism=2']) {
      expect((await service.app.inject(url)).statusCode, url).toBe(401);
      expect((await service.app.inject({ url, headers: auth })).statusCode, url).toBe(200);
    }
    const scrape = { method: 'POST' as const, url: '/console/scrape', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' };
    expect((await service.app.inject(scrape)).statusCode).toBe(401);
  });
});
