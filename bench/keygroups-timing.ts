/** Timing helpers of the key-group benchmark, shared by the bench and its per-kind child processes. */

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median keys/second over timed passes after warm-up passes. */
export function throughput(keysPerPass: number, pass: () => void, warmups = 5, rounds = 11): number {
  for (let i = 0; i < warmups; i++) pass();
  const rates: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    pass();
    rates.push(keysPerPass / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}
