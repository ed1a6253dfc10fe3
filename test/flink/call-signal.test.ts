/**
 * CallSignal: the per-call abort signal (caller's deadline or the call's own timeout), and that a
 * finished call leaves no timer and no listener behind.
 */
import { getEventListeners, setMaxListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallSignal } from '../../src/flink/call-signal.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CallSignal', () => {
  it('aborts with the caller’s reason when the caller aborts first, and disarms its timer', () => {
    const caller = new AbortController();
    const call = new CallSignal(1_000, caller.signal);
    const reason = new Error('client went away');
    caller.abort(reason);
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe(reason);
    expect(call.timedOut).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    call.end();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('aborts with a TimeoutError when its own time is up, and lets go of the caller’s signal', () => {
    const caller = new AbortController();
    const call = new CallSignal(1_000, caller.signal);
    vi.advanceTimersByTime(999);
    expect(call.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(call.signal.aborted).toBe(true);
    expect(call.timedOut).toBe(true);
    expect(call.signal.reason).toBeInstanceOf(DOMException);
    expect((call.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    // A later caller abort does not change the reason.
    caller.abort(new Error('late'));
    expect((call.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('times out without a caller signal', () => {
    const call = new CallSignal(50);
    vi.advanceTimersByTime(50);
    expect(call.timedOut).toBe(true);
    expect(call.signal.aborted).toBe(true);
  });

  it('is aborted from the start when the caller already is, with no timer and no listener', () => {
    const reason = new DOMException('deadline', 'TimeoutError');
    const call = new CallSignal(1_000, AbortSignal.abort(reason));
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe(reason);
    expect(call.timedOut).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('end() clears the timer and the listener: nothing fires afterwards, and ending twice is harmless', () => {
    const caller = new AbortController();
    // As TargetScraper does for its deadline: a scrape has many calls in flight on one signal.
    setMaxListeners(0, caller.signal);
    const calls = Array.from({ length: 100 }, () => new CallSignal(1_000, caller.signal));
    expect(vi.getTimerCount()).toBe(100);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(100);
    for (const c of calls) c.end();
    calls[0]!.end();
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    vi.advanceTimersByTime(5_000);
    caller.abort(new Error('after the calls'));
    expect(calls.filter((c) => c.signal.aborted)).toHaveLength(0);
  });
});
