/**
 * Building a parsed object field by field (`if (v !== undefined) out.key = v`, named stores the
 * JIT keeps monomorphic) without `compact()`'s intermediate literal: for the objects made once per
 * subtask, where that literal was half of what the parser allocated.
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * An empty object to be filled field by field, one class per parsed type: instances of a constructor get
 * in-object room for the fields added after it (V8's slack tracking), where `{}` or a one-field
 * literal spills them into a property array regrown every few fields. Such objects hold only the
 * fields set, like compact()'s did; only their prototype differs from a literal's.
 */
export function fieldsClass(): new () => object {
  return class {};
}
