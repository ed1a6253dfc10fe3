/**
 * The CPU-profile summaries of bench/exporter-profile.ts on a hand-made profile: which samples a
 * time window takes, self against inclusive time, garbage collection and idle time.
 */
import { describe, expect, it } from 'vitest';
import { windowMarkdown, windowTimes, type CpuProfile } from '../../bench/exporter-profile.ts';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// (root) → route (src/routes/metrics.js:30) → record (src/console/status-store.js:18) → summariseJob (src/console/status-summary.js:80)
//        → (garbage collector), (idle)
const PROFILE: CpuProfile = {
  startTime: 1_000_000,
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    { id: 2, callFrame: frame('route', 'file:///x/cache/123/src/routes/metrics.js', 29), children: [3] },
    { id: 3, callFrame: frame('record', 'file:///x/cache/123/src/console/status-store.js', 17), children: [4] },
    { id: 4, callFrame: frame('summariseJob', 'file:///x/cache/123/src/console/status-summary.js', 79) },
    { id: 5, callFrame: frame('(garbage collector)') },
    { id: 6, callFrame: frame('(idle)') },
  ],
  // Sample times: 1,001,000 (route) 1,002,000 (summariseJob) 1,004,000 (summariseJob) 1,005,000 (gc) 1,010,000 (idle) 1,011,000 (record)
  samples: [2, 4, 4, 5, 6, 3],
  timeDeltas: [1000, 1000, 2000, 1000, 5000, 1000],
};

describe('windowTimes', () => {
  it('takes the samples inside the window, by self and by inclusive time', () => {
    const w = windowTimes(PROFILE, 1_002_000, 1_010_000);
    // summariseJob 1 + 2 ms, gc 1 ms, idle 5 ms: route and record 3 ms each by inclusion.
    expect(w.sampledMs).toBe(9);
    expect(w.idleMs).toBe(5);
    expect(w.busyMs).toBe(4);
    expect(w.gcMs).toBe(1);
    expect(w.self[0]).toEqual({ name: 'summariseJob src/console/status-summary.js:80', ms: 3 });
    expect(w.inclusive.find((e) => e.name.startsWith('record '))).toEqual({ name: 'record src/console/status-store.js:18', ms: 3 });
    expect(w.inclusive.find((e) => e.name.startsWith('route '))?.ms).toBe(3);
  });

  it('is empty outside the profile', () => {
    const w = windowTimes(PROFILE, 2_000_000, 3_000_000);
    expect(w.sampledMs).toBe(0);
    expect(w.inclusive).toEqual([]);
  });

  it('lists our own functions by inclusive time in the markdown', () => {
    const md = windowMarkdown(windowTimes(PROFILE, 0, Number.MAX_SAFE_INTEGER)).join('\n');
    expect(md).toContain('11 ms sampled: 6 busy (garbage collector 1), 5 idle.');
    expect(md).toContain('| 5 | `route src/routes/metrics.js:30` |');
    expect(md).toContain('| 4 | `record src/console/status-store.js:18` |');
    expect(md).toContain('| 3 | `summariseJob src/console/status-summary.js:80` |');
  });
});
