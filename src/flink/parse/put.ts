/**
 * Building a parsed object field by field without `compact()`'s intermediate literal: for the
 * objects made once per subtask, where that literal was half of what the parser allocated.
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Sets `key` when `value` is defined, so the object never carries `key: undefined`. */
export function put<T extends object, K extends keyof T>(obj: Writable<T>, key: K, value: T[K] | undefined): void {
  if (value !== undefined) (obj as T)[key] = value;
}
