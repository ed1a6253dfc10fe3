/**
 * The console's static files (src/console/client/: stylesheet and browser modules, written as
 * `// @ts-check` JavaScript so what is type-checked is what is served — no build step, no CDN).
 * Read once at startup and served from memory under a content-hashed folder, so browsers may cache
 * them for a year and a new release is fetched at once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface Asset {
  body: Buffer;
  type: string;
}

export interface ConsoleAssets {
  /** Hash of all files together; part of every asset URL. */
  version: string;
  files: ReadonlyMap<string, Asset>;
  /** Relative URL of a file, e.g. `console/assets/1a2b3c4d5e/console.css`. */
  url(name: string): string;
}

export const ASSETS_PREFIX = 'console/assets';

export function loadConsoleAssets(dir: URL = new URL('./client/', import.meta.url)): ConsoleAssets {
  const files = new Map<string, Asset>();
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    const ext = name.slice(name.lastIndexOf('.'));
    const type = CONTENT_TYPES[ext];
    if (type === undefined) continue; // e.g. the folder's tsconfig.json
    const body = readFileSync(new URL(name, dir));
    hash.update(name).update(body);
    files.set(name, { body, type });
  }
  const version = hash.digest('hex').slice(0, 12);
  return {
    version,
    files,
    url(name) {
      if (!files.has(name)) throw new Error(`no console asset named ${name}`);
      return `${ASSETS_PREFIX}/${version}/${name}`;
    },
  };
}
