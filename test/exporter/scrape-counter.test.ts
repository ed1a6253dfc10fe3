/** The exporter counts its own scrapes per target and result, whoever asks for them. */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { Exporter, type ScrapeCounter } from '../../src/exporter/exporter.ts';
import type { TargetSnapshot } from '../../src/exporter/snapshot.ts';
import type { Collector } from '../../src/exporter/target-scraper.ts';

function collector(name: string, up: boolean): Collector {
  return {
    collect: async (): Promise<TargetSnapshot> => ({ target: name, startedAt: Date.now(), durationSeconds: 0, up, requests: 1, errors: new Map(), jobs: [], taskmanagers: [] }),
    close: async () => {},
  };
}

describe('Exporter scrape counting', () => {
  it('counts every scrape, from scrapeAll and from probe, by target and result', async () => {
    const counted: string[] = [];
    const counter: ScrapeCounter = { inc: ({ target, result }) => counted.push(`${target}:${result}`) };
    const config = parseConfig('targets: [{ name: a, url: "http://jm-a:8081" }, { name: b, url: "http://jm-b:8081" }]', { env: {} });
    const exporter = new Exporter(config, (t) => collector(t.name, t.name === 'a'), pino({ level: 'silent' }), counter);
    try {
      await exporter.scrapeAll(1_000);
      await exporter.probe('b', 1_000);
      expect(counted.sort()).toEqual(['a:success', 'b:failure', 'b:failure']);
    } finally {
      await exporter.close();
    }
  });
});
