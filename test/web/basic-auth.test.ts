/**
 * Basic auth that can be used neither to stall the exporter nor to enumerate users: every
 * credential check, for a known or an unknown user, costs one bcrypt check of the same cost, on a
 * worker thread; good credentials are remembered; failures are rate-limited per client address.
 */
import bcrypt from 'bcryptjs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { BcryptWorkerVerifier, VerifierBusyError, type PasswordVerifier } from '../../src/web/bcrypt-verifier.ts';
import { dummyHash, registerBasicAuth } from '../../src/web/basic-auth.ts';
import { FailureLimiter } from '../../src/web/failure-limiter.ts';

const HASH = bcrypt.hashSync('s3cret', 5);
const USERS = new Map([['prometheus', HASH]]);
const auth = (user: string, pw: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });

/** The real bcrypt check, recording which hash each call used. */
class CountingVerifier implements PasswordVerifier {
  readonly hashes: string[] = [];
  async verify(password: string, hash: string): Promise<boolean> {
    this.hashes.push(hash);
    return bcrypt.compare(password, hash);
  }
  async close(): Promise<void> {}
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function protectedApp(opts: Parameters<typeof registerBasicAuth>[2] = {}): Promise<FastifyInstance> {
  app = Fastify();
  registerBasicAuth(app, USERS, opts);
  app.get('/metrics', async () => 'ok');
  app.get('/-/healthy', async () => 'ok');
  await app.ready();
  return app;
}

describe('unknown users cost what known users cost', () => {
  it('a wrong password and an unknown user each run one bcrypt check of the configured cost', async () => {
    const verifier = new CountingVerifier();
    const a = await protectedApp({ verifier });
    const wrong = await a.inject({ url: '/metrics', headers: auth('prometheus', 'wrong') });
    const unknown = await a.inject({ url: '/metrics', headers: auth('nobody', 's3cret') });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(unknown.json()).toEqual(wrong.json());
    expect(verifier.hashes).toHaveLength(2);
    expect(verifier.hashes[0]).toBe(HASH);
    expect(verifier.hashes[1]).not.toBe(HASH);
    expect(verifier.hashes[1]!.slice(0, 7)).toBe('$2b$05$'); // same cost as the configured hash
  });

  it('the dummy hash takes the highest configured cost and matches no password', async () => {
    const dummy = dummyHash([bcrypt.hashSync('a', 4), bcrypt.hashSync('b', 6)]);
    expect(dummy).toMatch(/^\$2b\$06\$[./A-Za-z0-9]{53}$/);
    expect(await bcrypt.compare('', dummy)).toBe(false);
    expect(await bcrypt.compare('A'.repeat(31), dummy)).toBe(false);
  });
});

describe('verified credentials are remembered', () => {
  it('a second scrape with the same credentials does not run bcrypt', async () => {
    const verifier = new CountingVerifier();
    const a = await protectedApp({ verifier });
    expect((await a.inject({ url: '/metrics', headers: auth('prometheus', 's3cret') })).statusCode).toBe(200);
    expect((await a.inject({ url: '/metrics', headers: auth('prometheus', 's3cret') })).statusCode).toBe(200);
    expect(verifier.hashes).toHaveLength(1);
  });
});

describe('failed logins are rate-limited per client', () => {
  it('answers 429 with Retry-After after the burst, without bcrypt, and only for that client', async () => {
    const verifier = new CountingVerifier();
    let now = 1_000_000;
    const limiter = new FailureLimiter({ burst: 3, refillMs: 10_000, maxClients: 100 }, () => now);
    const a = await protectedApp({ verifier, limiter });
    // A scraper on the attacker's address, verified before the attack.
    expect((await a.inject({ url: '/metrics', remoteAddress: '10.0.0.1', headers: auth('prometheus', 's3cret') })).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) {
      expect((await a.inject({ url: '/metrics', remoteAddress: '10.0.0.1', headers: auth('prometheus', `guess${i}`) })).statusCode).toBe(401);
    }
    const checks = verifier.hashes.length;
    const limited = await a.inject({ url: '/metrics', remoteAddress: '10.0.0.1', headers: auth('prometheus', 'guess3') });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('10');
    expect(limited.json()).toEqual({ statusCode: 429, code: 'FL_TOO_MANY_FAILED_LOGINS', error: 'Too Many Requests', message: 'too many failed logins from this address; retry in 10 s' });
    expect(verifier.hashes.length).toBe(checks); // no bcrypt for a limited client
    // Remembered good credentials still pass from the same address.
    expect((await a.inject({ url: '/metrics', remoteAddress: '10.0.0.1', headers: auth('prometheus', 's3cret') })).statusCode).toBe(200);
    // Another client is not affected.
    expect((await a.inject({ url: '/metrics', remoteAddress: '10.0.0.2', headers: auth('prometheus', 'wrong') })).statusCode).toBe(401);
    expect((await a.inject({ url: '/metrics', remoteAddress: '10.0.0.2', headers: auth('prometheus', 's3cret') })).statusCode).toBe(200);
    // One failure more is allowed once a token has refilled.
    now += 10_000;
    expect((await a.inject({ url: '/metrics', remoteAddress: '10.0.0.1', headers: auth('prometheus', 'guess4') })).statusCode).toBe(401);
    expect((await a.inject({ url: '/metrics', remoteAddress: '10.0.0.1', headers: auth('prometheus', 'guess5') })).statusCode).toBe(429);
  });

  it('keeps at most maxClients addresses', () => {
    const limiter = new FailureLimiter({ burst: 1, refillMs: 60_000, maxClients: 3 }, () => 0);
    for (const ip of ['a', 'b', 'c', 'd']) limiter.recordFailure(ip);
    expect(limiter.size).toBe(3);
    expect(limiter.retryAfterSeconds('a')).toBe(0); // the oldest was forgotten
    expect(limiter.retryAfterSeconds('d')).toBe(60);
  });
});

describe('bcrypt on a worker thread', () => {
  it('verifies right and wrong passwords', async () => {
    const verifier = new BcryptWorkerVerifier();
    try {
      expect(await verifier.verify('s3cret', HASH)).toBe(true);
      expect(await verifier.verify('wrong', HASH)).toBe(false);
      expect(await verifier.verify('x', 'not a hash')).toBe(false);
    } finally {
      await verifier.close();
    }
  });

  it('refuses checks beyond maxPending instead of queueing them', async () => {
    const verifier = new BcryptWorkerVerifier(2);
    try {
      const first = [verifier.verify('a', HASH), verifier.verify('b', HASH)];
      await expect(verifier.verify('c', HASH)).rejects.toBeInstanceOf(VerifierBusyError);
      expect(await Promise.all(first)).toEqual([false, false]);
    } finally {
      await verifier.close();
    }
  });

  it('an authorised scrape is answered while 40 clients send wrong passwords', async () => {
    const a = await protectedApp();
    const ok = auth('prometheus', 's3cret');
    expect((await a.inject({ url: '/metrics', headers: ok })).statusCode).toBe(200);
    const attack = Array.from({ length: 40 }, (_, i) =>
      a.inject({ url: '/metrics', remoteAddress: `10.1.0.${i}`, headers: auth(i % 2 ? 'prometheus' : `user${i}`, 'wrong') }),
    );
    const [scrape, health] = await Promise.all([a.inject({ url: '/metrics', headers: ok }), a.inject('/-/healthy')]);
    expect(scrape.statusCode).toBe(200);
    expect(health.statusCode).toBe(200);
    const codes = new Set((await Promise.all(attack)).map((r) => r.statusCode));
    // Each attacker is refused: checked and wrong (401) or turned away while the thread is busy (503).
    expect([...codes].every((c) => c === 401 || c === 503)).toBe(true);
  });
});
