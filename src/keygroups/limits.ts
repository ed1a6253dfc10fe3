/**
 * Request limits for the key-group tools. They bound the memory and CPU one request can use, so a
 * client can neither exhaust the exporter nor make it hang. The HTTP plugin takes overrides; the CLI
 * uses the same defaults except for the body size, which only exists over HTTP.
 */
export interface KeyGroupLimits {
  /** Keys (or weight entries) per assign/analyze request. */
  maxKeys: number;
  /** HTTP request body size in bytes; larger bodies get 413. */
  maxBodyBytes: number;
  /** parallelism × perSubtask for `balanced`. */
  maxBalancedKeys: number;
  /** Length of the `balanced` string prefix, in UTF-16 units. */
  maxPrefixLength: number;
}

export const DEFAULT_KEYGROUP_LIMITS: Readonly<KeyGroupLimits> = Object.freeze({
  maxKeys: 200_000,
  // 200k keys of ~60 JSON bytes each fit comfortably; JSON.parse of 16 MiB takes well under 100 ms.
  maxBodyBytes: 16 * 1024 * 1024,
  // balanced answers grow with keys × key length: 200k keys of a 64-character prefix plus digits is
  // about 15 MB of JSON, the same order as the largest request body accepted.
  maxBalancedKeys: 200_000,
  maxPrefixLength: 64,
});

/** Defaults overlaid with the given values; each override must be a positive integer. */
export function resolveLimits(overrides: Partial<KeyGroupLimits> = {}): KeyGroupLimits {
  const limits: KeyGroupLimits = { ...DEFAULT_KEYGROUP_LIMITS };
  for (const name of Object.keys(DEFAULT_KEYGROUP_LIMITS) as (keyof KeyGroupLimits)[]) {
    const value = overrides[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`key-group limit ${name} must be a positive integer, got ${String(value)}`);
    }
    limits[name] = value;
  }
  return limits;
}
