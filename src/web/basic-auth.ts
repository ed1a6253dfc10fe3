/**
 * HTTP basic auth against bcrypt hashes. bcrypt is deliberately slow (tens of ms per check), so
 * verified credentials are remembered by their SHA-256 for a while: a scrape every few seconds
 * must not pay that cost each time. Wrong passwords are never cached.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { FastifyReply, FastifyRequest } from 'fastify';

const CACHE_MS = 300_000;
const MAX_CACHE = 1000;

/** Paths left open so orchestrator probes work without credentials. */
const OPEN_PATHS = new Set(['/-/healthy', '/-/ready']);

export function basicAuthHook(users: ReadonlyMap<string, string>) {
  const verified = new Map<string, number>();

  const check = async (header: string | undefined): Promise<boolean> => {
    const m = header && /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header);
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const hash = users.get(user);
    if (hash === undefined) return false;
    const key = createHash('sha256').update(`${user}\u0000${password}\u0000${hash}`).digest('hex');
    const at = verified.get(key);
    if (at !== undefined && Date.now() - at < CACHE_MS) return true;
    const ok = await bcrypt.compare(password, hash);
    if (ok) {
      if (verified.size >= MAX_CACHE) verified.clear();
      verified.set(key, Date.now());
    }
    return ok;
  };

  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = req.url.split('?', 1)[0]!;
    if (OPEN_PATHS.has(path)) return;
    if (await check(req.headers.authorization)) return;
    await reply
      .status(401)
      .header('www-authenticate', 'Basic realm="Flink Lens", charset="UTF-8"')
      .send({ statusCode: 401, error: 'Unauthorized', message: 'valid basic auth credentials required' });
  };
}
