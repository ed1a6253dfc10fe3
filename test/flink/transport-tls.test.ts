/**
 * TLS options against a real HTTPS server on 127.0.0.1 using the throw-away material in ./tls/
 * (see its README): custom CA, rejectUnauthorized, and mutual TLS with a client certificate.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlinkClient } from '../../src/flink/client.ts';
import { FlinkRequestError } from '../../src/flink/errors.ts';
import { rejectionOf } from './helpers.ts';

const pem = (name: string): string => readFileSync(new URL(`./tls/${name}`, import.meta.url), 'utf8');
const CA = pem('ca.pem');

async function listen(requestCert: boolean): Promise<{ server: Server; url: string }> {
  const server = createServer(
    { cert: pem('server.pem'), key: pem('server.key'), requestCert, rejectUnauthorized: requestCert, ...(requestCert ? { ca: CA } : {}) },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"flink-version":"1.17.2","flink-revision":"c0027e5 @ 2023-11-09T13:24:38+01:00"}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://localhost:${(server.address() as AddressInfo).port}/` };
}

const clients: FlinkClient[] = [];
function client(opts: ConstructorParameters<typeof FlinkClient>[0]): FlinkClient {
  const c = new FlinkClient(opts);
  clients.push(c);
  return c;
}

let plain: { server: Server; url: string };
let mutual: { server: Server; url: string };
beforeAll(async () => {
  plain = await listen(false);
  mutual = await listen(true);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  plain.server.close();
  mutual.server.close();
});

describe('TLS', () => {
  it('trusts the server with a custom CA', async () => {
    const cfg = await client({ url: plain.url, tls: { ca: CA } }).getConfig();
    expect(cfg.flinkVersion).toBe('1.17.2');
  });

  it('without the CA the certificate is rejected → connection error with a TLS code', async () => {
    const err = await rejectionOf(client({ url: plain.url }).getConfig());
    expect(err).toBeInstanceOf(FlinkRequestError);
    expect(err).toMatchObject({ kind: 'connection', endpoint: 'config', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect((err as Error).message).toBe('Flink REST config failed (connection): TLS handshake failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
  });

  it('rejectUnauthorized: false accepts it (lab clusters only)', async () => {
    const cfg = await client({ url: plain.url, tls: { rejectUnauthorized: false } }).getConfig();
    expect(cfg.flinkRevision).toBe('c0027e5 @ 2023-11-09T13:24:38+01:00');
  });

  it('mutual TLS: succeeds with the client certificate, fails without', async () => {
    const ok = await client({ url: mutual.url, tls: { ca: CA, cert: pem('client.pem'), key: pem('client.key') } }).getConfig();
    expect(ok.flinkVersion).toBe('1.17.2');
    const err = await rejectionOf(client({ url: mutual.url, tls: { ca: CA } }).getConfig());
    expect(err).toBeInstanceOf(FlinkRequestError);
    expect(err).toMatchObject({ kind: 'connection', endpoint: 'config' });
  });
});
