/**
 * Hardening benchmark (`npm run bench -- hardening`), for issue 10 parts 2 and 3:
 *  1. basic auth under attack: 40 clients (each from its own 127.0.0.x address) send wrong
 *     passwords non-stop while an authorised scraper and a liveness probe measure their latency;
 *     once with bcrypt on the event loop and no failure limit (how it was), once as shipped
 *     (worker thread, per-client failure limit). Also the answer time for a known user with a
 *     wrong password against an unknown user;
 *  2. the key API receiving two 16 MiB bodies of nested brackets while /-/healthy is polled.
 * Options: --quick (shorter attack).
 */
import { execFile } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Agent, request } from 'undici';
import { parseConfig } from '../src/config/load.ts';
import { createService } from '../src/service.ts';
import type { PasswordVerifier } from '../src/web/bcrypt-verifier.ts';
import { registerBasicAuth } from '../src/web/basic-auth.ts';
import { FailureLimiter } from '../src/web/failure-limiter.ts';

const COST = 10;
const CLIENT = fileURLToPath(new URL('./hardening-client.ts', import.meta.url));

/** Runs bench/hardening-client.ts in its own process; resolves with its JSON line. */
function client(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', CLIENT, ...args], { maxBuffer: 1 << 20 }, (err, stdout) => (err ? reject(new Error(`hardening client failed: ${err.message}`)) : resolve(stdout.trim())));
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return `n=${s.length} p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${(s[s.length - 1] ?? NaN).toFixed(1)} ms`;
}

/** The longest and 99th-percentile event-loop delays while `work` runs. */
async function loopDelay<T>(work: () => Promise<T>): Promise<{ result: T; text: string }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const result = await work();
  h.disable();
  return { result, text: `event-loop delay p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms, max ${(h.max / 1e6).toFixed(0)} ms` };
}

const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

async function timed(url: string, headers: Record<string, string>, dispatcher?: Agent): Promise<{ ms: number; status: number }> {
  const t = performance.now();
  const res = await request(url, { headers, ...(dispatcher ? { dispatcher } : {}) });
  await res.body.text();
  return { ms: performance.now() - t, status: res.statusCode };
}

/** bcryptjs on the main thread, as before the change. */
const onLoopVerifier: PasswordVerifier = { verify: (pw, hash) => bcrypt.compare(pw, hash), close: async () => {} };

async function authApp(variant: 'on-loop' | 'shipped', users: Map<string, string>): Promise<{ app: FastifyInstance; base: string }> {
  const app = Fastify();
  if (variant === 'on-loop') {
    registerBasicAuth(app, users, { verifier: onLoopVerifier, limiter: new FailureLimiter({ burst: Number.MAX_SAFE_INTEGER, refillMs: 1, maxClients: 1 }) });
  } else {
    registerBasicAuth(app, users);
  }
  app.get('/metrics', async () => 'flink_up 1\n');
  app.get('/-/healthy', async () => 'Healthy');
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base };
}

async function authScenario(variant: 'on-loop' | 'shipped', attackMs: number): Promise<void> {
  const users = new Map([['prometheus', bcrypt.hashSync('s3cret', COST)]]);
  const { app, base } = await authApp(variant, users);
  const good = { authorization: basic('prometheus', 's3cret') };
  try {
    await timed(`${base}/metrics`, good); // first check pays bcrypt once
    const quiet: number[] = [];
    for (let i = 0; i < 20; i++) quiet.push((await timed(`${base}/metrics`, good)).ms);

    // Enumeration: answer time of a wrong password for a known and for an unknown user, each from
    // a fresh address so the failure limit does not step in.
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      for (const [user, into] of [['prometheus', known], [`ghost${i}`, unknown]] as const) {
        const agent = new Agent({ connect: { localAddress: `127.0.${user === 'prometheus' ? 2 : 3}.${i + 1}` } });
        into.push((await timed(`${base}/metrics`, { authorization: basic(user, 'wrong') }, agent)).ms);
        await agent.close();
      }
    }

    const attack = client(['attack', base, String(attackMs + 600)]);
    await sleep(300); // let the attack build up
    const scrapes: number[] = [];
    const probes: number[] = [];
    const end = performance.now() + attackMs;
    const scraper = (async () => {
      while (performance.now() < end) {
        const r = await timed(`${base}/metrics`, good);
        if (r.status !== 200) throw new Error(`authorised scrape answered ${r.status}`);
        scrapes.push(r.ms);
        await sleep(100);
      }
    })();
    const prober = (async () => {
      while (performance.now() < end) {
        probes.push((await timed(`${base}/-/healthy`, {})).ms);
        await sleep(100);
      }
    })();
    const loop = await loopDelay(() => Promise.all([scraper, prober]));
    const codes = JSON.parse(await attack) as Record<string, number>;

    console.log(`\n## Basic auth, ${variant === 'on-loop' ? 'bcrypt on the event loop, no failure limit (before)' : 'worker thread + failure limit (shipped)'}`);
    console.log(`authorised /metrics, quiet:          ${summary(quiet)}`);
    console.log(`authorised /metrics, 40 attackers:   ${summary(scrapes)}`);
    console.log(`/-/healthy, 40 attackers:            ${summary(probes)}`);
    console.log(`server process during the attack:    ${loop.text}`);
    console.log(`attack answers: ${Object.entries(codes).map(([c, n]) => `${c}×${n}`).join(', ')}`);
    console.log(`wrong password, known user:          ${summary(known)}`);
    console.log(`wrong password, unknown user:        ${summary(unknown)}`);
  } finally {
    await app.close();
  }
}

async function nestedBodies(): Promise<void> {
  const service = await createService({
    loadConfig: () => parseConfig('targets:\n  - { name: a, url: "http://a:8081" }\n', { env: {} }),
    logger: pino({ level: 'silent' }),
    collectorFactory: (t) => ({
      collect: async () => ({ target: t.name, startedAt: 0, durationSeconds: 0, up: true, requests: 0, errors: new Map(), jobs: [], taskmanagers: [] }),
      close: async () => {},
    }),
  });
  const base = await service.app.listen({ host: '127.0.0.1', port: 0 });
  try {
    let done = false;
    const probes: number[] = [];
    const prober = (async () => {
      while (!done) {
        probes.push((await timed(`${base}/-/healthy`, {})).ms);
        await sleep(20);
      }
    })();
    await sleep(100);
    const { result: answersText, text: loopText } = await loopDelay(() => client(['nested', base]));
    const answers = JSON.parse(answersText) as { status: number; ms: number; sentBytes: number; message: string }[];
    await sleep(200);
    done = true;
    await prober;
    console.log('\n## Key API, two 16 MiB bodies of nested brackets at once');
    for (const a of answers) console.log(`answer ${a.status} after ${a.ms.toFixed(0)} ms, ${(a.sentBytes / 1024).toFixed(0)} KiB sent by then: ${a.message}`);
    console.log(`/-/healthy meanwhile: ${summary(probes)}`);
    console.log(`server process meanwhile: ${loopText}`);
  } finally {
    await service.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const attackMs = args.includes('--quick') ? 3000 : 10_000;
  console.log(`# Hardening — node ${process.version}, bcrypt cost ${COST}, attack ${attackMs / 1000} s`);
  await authScenario('on-loop', attackMs);
  await authScenario('shipped', attackMs);
  await nestedBodies();
}
