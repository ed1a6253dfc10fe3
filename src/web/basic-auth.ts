/**
 * HTTP basic auth against bcrypt hashes, built so it can be used neither to stall the exporter nor
 * to find out which users exist:
 *  - bcrypt runs on a worker thread (bcrypt-verifier.ts), never on the event loop;
 *  - an unknown user costs the same bcrypt check as a known one (against a dummy hash of the
 *    highest configured cost), so the answer time does not tell them apart;
 *  - verified credentials are remembered by an HMAC for a while: a scrape every few seconds must
 *    not pay bcrypt each time. Wrong passwords are never cached;
 *  - failed checks are rate-limited per client address (failure-limiter.ts): past the burst the
 *    client gets 429 with Retry-After and no bcrypt work at all. Remembered good credentials
 *    still pass, so a scraper behind the same address as an attacker keeps working.
 */
import { createHmac, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorMessage, sendError, type ErrorCode } from '../errors.ts';
import { BcryptWorkerVerifier, VerifierBusyError, type PasswordVerifier } from './bcrypt-verifier.ts';
import { FailureLimiter } from './failure-limiter.ts';

const CACHE_MS = 300_000;
const MAX_CACHE = 1000;

/** Paths left open so orchestrator probes work without credentials. */
const OPEN_PATHS = new Set(['/-/healthy', '/-/ready']);

export interface BasicAuthOptions {
  verifier?: PasswordVerifier;
  limiter?: FailureLimiter;
}

/** Adds the auth hook to `app` and stops the verifier thread when the app closes. */
export function registerBasicAuth(app: FastifyInstance, users: ReadonlyMap<string, string>, opts: BasicAuthOptions = {}): void {
  const verifier = opts.verifier ?? new BcryptWorkerVerifier();
  app.addHook('onRequest', basicAuthHook(users, verifier, opts.limiter ?? new FailureLimiter()));
  app.addHook('onClose', async () => verifier.close());
}

/** A hash no password matches in practice, costing as much to check as the dearest real one. */
export function dummyHash(hashes: Iterable<string>): string {
  let cost = 4;
  for (const h of hashes) cost = Math.max(cost, Number(/^\$2[aby]\$(\d\d)\$/.exec(h)?.[1] ?? 4));
  return bcrypt.genSaltSync(cost) + 'A'.repeat(31);
}

function credentials(header: string | undefined): { user: string; password: string } | undefined {
  const m = header && /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function basicAuthHook(users: ReadonlyMap<string, string>, verifier: PasswordVerifier, limiter: FailureLimiter) {
  const dummy = dummyHash(users.values());
  // Keyed by a per-process secret, so the cache holds nothing a stolen heap dump could brute-force.
  const cacheKey = randomBytes(32);
  const verified = new Map<string, number>();

  const deny = (reply: FastifyReply, code: Extract<ErrorCode, 'FL_UNAUTHORIZED' | 'FL_TOO_MANY_FAILED_LOGINS' | 'FL_AUTH_BUSY'>, retryAfter?: number) => {
    if (code === 'FL_UNAUTHORIZED') reply.header('www-authenticate', 'Basic realm="Flink Lens", charset="UTF-8"');
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    return sendError(reply, code, errorMessage(code, retryAfter ?? ''));
  };

  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = req.url.split('?', 1)[0]!;
    if (OPEN_PATHS.has(path)) return;
    const given = credentials(req.headers.authorization);
    if (!given) return deny(reply, 'FL_UNAUTHORIZED');

    const hash = users.get(given.user);
    const key = createHmac('sha256', cacheKey).update(`${given.user}\u0000${given.password}\u0000${hash ?? ''}`).digest('base64');
    const at = verified.get(key);
    if (hash !== undefined && at !== undefined && Date.now() - at < CACHE_MS) return;

    const wait = limiter.retryAfterSeconds(req.ip);
    if (wait > 0) return deny(reply, 'FL_TOO_MANY_FAILED_LOGINS', wait);

    let ok: boolean;
    try {
      ok = await verifier.verify(given.password, hash ?? dummy);
    } catch (err) {
      if (err instanceof VerifierBusyError) return deny(reply, 'FL_AUTH_BUSY', 1);
      throw err;
    }
    if (ok && hash !== undefined) {
      if (verified.size >= MAX_CACHE) verified.clear();
      verified.set(key, Date.now());
      return;
    }
    limiter.recordFailure(req.ip);
    return deny(reply, 'FL_UNAUTHORIZED');
  };
}
