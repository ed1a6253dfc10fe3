/**
 * Reads a loosely typed object tree (YAML, JSON bodies) field by field, collecting every problem
 * with the field that has it instead of stopping at the first, as workload.ts needs.
 */
import { DURATION_PROBLEM, parseDurationMs } from '../config/duration.ts';

/** Most entries in machines, shuffles and sinks. */
export const MAX_LIST = 20;

export type Obj = Record<string, unknown>;

export interface WorkloadIssue {
  field: string;
  message: string;
}

/** Collects issues while reading one object tree; `path` spells fields like the API does. */
export class Reader {
  readonly issues: WorkloadIssue[] = [];

  problem(field: string, message: string): undefined {
    this.issues.push({ field, message });
    return undefined;
  }

  object(value: unknown, field: string, known: readonly string[]): Obj | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return this.problem(field, `must be an object, got ${kind(value)}`);
    const obj = value as Obj;
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) this.problem(join(field, key), `is not a known field (expected ${known.join(', ')})`);
    }
    return obj;
  }

  number(obj: Obj, field: string, key: string, rule: { min?: number; above?: number; max?: number; integer?: boolean; required?: boolean }): number | undefined {
    const value = obj[key];
    const name = join(field, key);
    if (value === undefined) return rule.required === false ? undefined : this.problem(name, 'is required');
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.problem(name, `must be a number, got ${kind(value)}`);
    if (rule.integer && !Number.isInteger(value)) return this.problem(name, `must be an integer, got ${value}`);
    if (rule.above !== undefined && !(value > rule.above)) return this.problem(name, `must be greater than ${rule.above}, got ${value}`);
    if (rule.min !== undefined && value < rule.min) return this.problem(name, `must be at least ${rule.min}, got ${value}`);
    if (rule.max !== undefined && value > rule.max) return this.problem(name, `must be at most ${rule.max}, got ${value}`);
    return value;
  }

  duration(obj: Obj, field: string, key: string): number | undefined {
    const value = obj[key];
    const name = join(field, key);
    if (value === undefined) return this.problem(name, 'is required');
    // The project's one duration parser: a bare number has no unit and is refused, as in the config.
    const ms = parseDurationMs(value);
    if (ms === undefined) return this.problem(name, `${DURATION_PROBLEM}, got ${kind(value)}`);
    if (!(ms > 0)) return this.problem(name, 'must be a positive duration such as 60s or 1m');
    return ms / 1000;
  }

  choice<T extends string>(obj: Obj, field: string, key: string, choices: readonly T[], fallback: T): T {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    this.problem(join(field, key), `must be one of ${choices.join(', ')}, got ${kind(value)}`);
    return fallback;
  }

  string(obj: Obj, field: string, key: string, fallback: string): string {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.problem(join(field, key), `must be a non-empty string, got ${kind(value)}`);
    return fallback;
  }

  array(obj: Obj, field: string, key: string): unknown[] | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) return this.problem(join(field, key), `must be a list, got ${kind(value)}`);
    // Each machine costs a sizing search; long lists would let one request occupy the server.
    if (value.length > MAX_LIST) return this.problem(join(field, key), `lists ${value.length} entries; at most ${MAX_LIST} are allowed`);
    return value as unknown[];
  }
}

export function join(field: string, key: string | number): string {
  if (typeof key === 'number') return `${field}[${key}]`;
  return field === '' ? key : `${field}.${key}`;
}

export function kind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}

