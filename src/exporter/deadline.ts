/**
 * The time budget of one scrape: Prometheus says how long it will wait in
 * X-Prometheus-Scrape-Timeout-Seconds; we answer a margin earlier so partial data arrives in time.
 */
const MIN_BUDGET_MS = 100;

export function scrapeBudgetMs(header: string | string[] | undefined, fallbackMs: number, marginMs: number): number {
  const raw = Array.isArray(header) ? header[0] : header;
  const seconds = raw === undefined ? Number.NaN : Number.parseFloat(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) return fallbackMs;
  const ms = seconds * 1000;
  // Short timeouts keep most of their budget: a fixed margin would eat a 1 s scrape entirely.
  const margin = Math.min(marginMs, ms * 0.1);
  return Math.max(MIN_BUDGET_MS, ms - margin);
}
