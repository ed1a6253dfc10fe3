/**
 * The hostile clients of bench/hardening.ts, run in their own process so their work does not
 * share the measured server's event loop (real attackers are remote too). Prints one JSON line.
 *   attack <base> <ms>   40 clients, each from its own 127.0.1.x address, send wrong passwords
 *   nested <base>        two 16 MiB bodies of nested brackets at once; stops sending on the answer
 */
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

async function attack(base: string, ms: number): Promise<Record<string, number>> {
  const codes: Record<string, number> = {};
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      const agent = new Agent({ connect: { localAddress: `127.0.1.${i + 1}` } });
      while (performance.now() < end) {
        const auth = basic(i % 2 ? 'prometheus' : `user${i}`, `guess${Math.random()}`);
        const status = await request(`${base}/metrics`, { headers: { authorization: auth }, dispatcher: agent })
          .then(async (r) => (await r.body.text(), r.statusCode))
          .catch(() => 0);
        codes[status] = (codes[status] ?? 0) + 1;
      }
      await agent.close();
    }),
  );
  return codes;
}

function nestedBody(base: string): Promise<{ status: number; ms: number; sentBytes: number; message: string }> {
  const url = new URL('/api/v1/keygroups/assign', base);
  const total = 16 * 1024 * 1024 - 1024;
  const prefix = Buffer.from('{"keyType":"int","parallelism":4,"keys":');
  const chunk = Buffer.alloc(64 * 1024, '[');
  const t = performance.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': total } });
    req.on('response', (res) => {
      answered = true;
      const sentBytes = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - t, sentBytes, message: (JSON.parse(text) as { message: string }).message });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = (): void => {
      while (!answered && sent < total) {
        const part = sent === 0 ? prefix : chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += part.length;
        if (!req.write(part)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

const [mode, base, arg] = process.argv.slice(2);
if (mode === 'attack') console.log(JSON.stringify(await attack(base!, Number(arg))));
else if (mode === 'nested') console.log(JSON.stringify(await Promise.all([nestedBody(base!), nestedBody(base!)])));
else throw new Error('usage: hardening-client.ts attack <base> <ms> | nested <base>');
