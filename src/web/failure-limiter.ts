/**
 * Failed logins per client, as token buckets: a client may fail `burst` times in a row, then once
 * per `refillMs`. The map is bounded: past `maxClients` the least recently failing client is
 * forgotten, so a flood of addresses costs memory only up to that bound.
 */
export interface FailureLimiterOptions {
  burst: number;
  refillMs: number;
  maxClients: number;
}

export const DEFAULT_FAILURE_LIMITS: Readonly<FailureLimiterOptions> = Object.freeze({ burst: 10, refillMs: 6_000, maxClients: 10_000 });

interface Bucket {
  tokens: number;
  at: number;
}

export class FailureLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly opts: FailureLimiterOptions = DEFAULT_FAILURE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `client` may try again; 0 when it may try now. */
  retryAfterSeconds(client: string): number {
    const tokens = this.tokens(client);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * this.opts.refillMs) / 1000);
  }

  recordFailure(client: string): void {
    const tokens = this.tokens(client) - 1;
    this.buckets.delete(client); // re-inserted last: Map order is then least recently failing first
    this.buckets.set(client, { tokens, at: this.now() });
    if (this.buckets.size > this.opts.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
  }

  get size(): number {
    return this.buckets.size;
  }

  private tokens(client: string): number {
    const b = this.buckets.get(client);
    if (!b) return this.opts.burst;
    return Math.min(this.opts.burst, b.tokens + (this.now() - b.at) / this.opts.refillMs);
  }
}
