/**
 * Metric values as Flink's MetricQueryService serializes them: everything is a string; longs as
 * integers, doubles as Java's Double.toString ("0.0", "689.4833333333333", "1.2345678E7", "NaN").
 */
import { LONG_MIN_STRING, NO_WATERMARK } from '../model/truth-types.ts';

export function formatLong(v: number): string {
  if (v === NO_WATERMARK) return LONG_MIN_STRING;
  return String(Math.trunc(v));
}

/** Java Double.toString: plain notation in [1e-3, 1e7), otherwise "d.dddE±n"; always a '.'. */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa = '0', exp = '0'] = v.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exp.replace('+', '')}`;
}

/** Double.valueOf semantics for aggregation: numeric strings, NaN and ±Infinity parse; others don't. */
export function parseJavaDouble(s: string): number | undefined {
  if (s === 'NaN') return NaN;
  if (s === 'Infinity' || s === '+Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(s.trim())) return undefined;
  return Number(s.trim().replace(/[dDfF]$/, ''));
}

/** A JSON number, or Jackson's quoted "NaN"/"Infinity" for non-finite doubles. */
export function jsonDouble(v: number): number | string {
  return Number.isFinite(v) ? v : formatDouble(v);
}
