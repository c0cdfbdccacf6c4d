/**
 * Small helpers for reading untrusted JSON values. Internal: not exported from the package.
 *
 * @packageDocumentation
 */

/** A read-only view of an event payload or any JSON object. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The frozen empty payload used when an event's payload is not an object. */
export const EMPTY_PAYLOAD: JsonObject = Object.freeze({});

/** `true` for a non-null object, arrays included (the original's `x && typeof x === 'object'`). */
export function isObjectLike(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null;
}

/** `true` for a non-null object that is not an array. */
export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `true` for a string of length ≥ 1 (no trimming). */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** `Object.hasOwn` without depending on the object's prototype. */
export function hasOwn(target: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

/**
 * Set an own, enumerable data property. Unlike `target[key] = value`, a key named `__proto__`
 * becomes a normal property instead of replacing the prototype.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/**
 * Deep copy of a JSON-shaped value (objects, arrays, primitives). Keys keep their order, keys
 * whose value is `undefined` are kept (so later writes land in the same position), and a
 * `__proto__` key stays an own property.
 */
export function cloneJson<T>(value: T): T {
  return cloneUnknown(value) as T;
}

function cloneUnknown(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneUnknown);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setOwn(out, key, cloneUnknown((value as Record<string, unknown>)[key]));
  }
  return out;
}

/**
 * The first 80 characters of a JSON rendering of `value`, for diagnostics. Never throws, and never
 * renders more than a bounded prefix of a long string.
 */
export function excerptOf(value: unknown): string {
  const LIMIT = 80;
  try {
    if (typeof value === 'string') return JSON.stringify(value.slice(0, LIMIT)).slice(0, LIMIT);
    const text = JSON.stringify(value);
    return typeof text === 'string' ? text.slice(0, LIMIT) : String(value).slice(0, LIMIT);
  } catch {
    return `<${typeof value}>`;
  }
}
