import { invalidParameter, missingParameter } from './errors.js';

// Request parameters as the gateway hands them over: model member names, plain JSON values.

export function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw missingParameter(name);
  return value;
}

/** An integer parameter (a number, or digits when a protocol carries it as text); undefined when absent. */
export function integerParam(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw invalidParameter(name, value, 'Must be an integer.');
  return n;
}

/** An integer parameter that, when given, must lie in [min, max]; `reason` is AWS's wording for that. */
export function boundedInteger(name: string, value: unknown, min: number, max: number, reason: string): number | undefined {
  const n = integerParam(name, value);
  if (n !== undefined && (n < min || n > max)) throw invalidParameter(name, n, reason);
  return n;
}
