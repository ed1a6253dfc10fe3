import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.ts';

/** Values shaped like config (right keys, wrong or odd values) as well as pure noise. */
const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('10s', '500ms', 'http://a:8081', '*', '[', '-1'));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('name', 'url', 'auth', 'tls', 'x'), tie('v'), { maxKeys: 3 })),
})).v;
const configLike = fc.record(
  {
    targets: fc.array(fc.record({ name: value, url: value, auth: value, request_timeout: value, concurrency: value }, { requiredKeys: [] }), { maxLength: 3 }),
    probe: fc.record({ allow: value, request_timeout: value }, { requiredKeys: [] }),
    scrape: fc.record({ timeout: value, max_subtasks_per_vertex: value, jobs: value, caches: value, target_utilization: value }, { requiredKeys: [] }),
    keygroups: value,
    extra: value,
  },
  { requiredKeys: [] },
);

describe('config loading never fails with anything but a ConfigError', () => {
  it('on config-shaped YAML', () => {
    fc.assert(
      fc.property(configLike, (raw) => {
        try {
          const c = parseConfig(stringify(raw), { source: 'fuzz.yaml', env: {} });
          expect(Array.isArray(c.targets)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          // Every problem is reported, each on its own line and located in the file.
          const lines = (err as ConfigError).lines;
          expect(lines.length).toBeGreaterThan(0);
          for (const line of lines) expect(line).toMatch(/^fuzz\.yaml(:\d+)?: /);
          const numbers = lines.map((l) => /^fuzz\.yaml:(\d+):/.exec(l)?.[1]).filter((n) => n !== undefined).map(Number);
          expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseConfig(text, { source: 'fuzz.yaml', env: {} });
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
