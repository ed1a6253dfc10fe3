/**
 * Issue 10 §2, slow request bodies: a client drip-feeding a request body is cut (408, connection
 * closed) once the request timeout passes, while a /metrics answer that takes longer than that
 * timeout is still delivered — Node times only the receiving of a request.
 */
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { TargetSnapshot } from '../../src/exporter/snapshot.ts';
import { createService, type Service } from '../../src/service.ts';
import { parseExposition, sampleValue } from '../helpers/exposition.ts';

const REQUEST_TIMEOUT_MS = 400;

let service: Service | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

/** The service with a short request timeout and one target whose collection takes `collectMs`. */
async function start(collectMs: number): Promise<{ app: FastifyInstance; port: number }> {
  service = await createService({
    loadConfig: () => parseConfig('targets:\n  - { name: slow, url: "http://jm:8081" }\n', { env: {} }),
    logger: pino({ level: 'silent' }),
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    collectorFactory: () => ({
      async collect(): Promise<TargetSnapshot> {
        await new Promise((resolve) => setTimeout(resolve, collectMs));
        return { target: 'slow', startedAt: Date.now(), durationSeconds: collectMs / 1000, up: true, requests: 1, errors: new Map(), jobs: [], taskmanagers: [] };
      },
      async close() {},
    }),
  });
  await service.app.listen({ host: '127.0.0.1', port: 0 });
  return { app: service.app, port: (service.app.server.address() as { port: number }).port };
}

describe('request timeout on our own server', () => {
  it('cuts a POST body drip-fed one byte every 100 ms with 408 and closes the connection', async () => {
    const { port } = await start(0);
    const socket = connect(port, '127.0.0.1');
    const started = performance.now();
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now() - started)));
    socket.on('error', () => {});
    socket.write('POST /api/v1/keygroups/assign HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(' ');
    }, 100);
    // Node checks for expired requests every REQUEST_TIMEOUT_MS / 4 here; 10 s means never.
    const closedAfter = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 10_000))]);
    clearInterval(drip);
    socket.destroy();
    expect(closedAfter).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS);
    expect(closedAfter).toBeLessThan(5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('does not cut a /metrics answer that takes three times the request timeout', async () => {
    const { port } = await start(3 * REQUEST_TIMEOUT_MS);
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    const body = await res.text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * REQUEST_TIMEOUT_MS);
    expect(res.status).toBe(200);
    expect(sampleValue(parseExposition(body), 'flink_up', { target: 'slow' })).toBe(1);
  });
});
