import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../src/exporter/ttl-cache.ts';

describe('TtlCache', () => {
  it('serves an entry until its TTL has passed, then loads again', async () => {
    let t = 0;
    const cache = new TtlCache<string, number>({ ttlMs: 100, maxEntries: 10, now: () => t });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.getOrLoad('k', load)).toBe(1);
    t = 99;
    expect(await cache.getOrLoad('k', load)).toBe(1);
    t = 100;
    expect(await cache.getOrLoad('k', load)).toBe(2);
    expect(loads).toBe(2);
  });

  it('does not store undefined, so a failed or empty load is retried on the next call', async () => {
    const cache = new TtlCache<string, number>({ maxEntries: 10 });
    expect(await cache.getOrLoad('k', async () => undefined)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(await cache.getOrLoad('k', async () => 7)).toBe(7);
    expect(cache.size).toBe(1);
  });

  it('evicts the least recently used entry over maxEntries; a hit counts as a use', () => {
    const cache = new TtlCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([...cache.keys()]).toEqual(['a', 'c']);
  });

  it('prune drops expired entries and their weight', () => {
    let t = 0;
    const cache = new TtlCache<string, string[]>({ ttlMs: 10, maxEntries: 10, weigh: (v) => v.length, now: () => t });
    cache.set('old', ['x', 'y']);
    t = 5;
    cache.set('new', ['z']);
    t = 10;
    cache.prune();
    expect([...cache.keys()]).toEqual(['new']);
    expect(cache.weight).toBe(1);
  });
});
