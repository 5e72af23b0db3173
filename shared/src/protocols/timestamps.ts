/**
 * Timestamps as handlers hand them to the encoders: a Date, an ISO-8601 string or epoch milliseconds.
 * Decoded inputs carry timestamps as epoch milliseconds, the unit of the shared clock.
 */
export type Timestamp = Date | string | number;

export function toEpochMillis(t: Timestamp): number {
  if (typeof t === 'number') return t;
  return typeof t === 'string' ? Date.parse(t) : t.getTime();
}

/** The AWS JSON protocols' form: epoch seconds, fractional when the instant has milliseconds. */
export function toEpochSeconds(t: Timestamp): number {
  return toEpochMillis(t) / 1000;
}

/** The query / XML form: `2024-05-01T12:00:00.000Z`. An ISO string is passed through as written. */
export function toIso8601(t: Timestamp): string {
  if (typeof t === 'string') return t;
  return (typeof t === 'number' ? new Date(t) : t).toISOString();
}

/**
 * Reads a timestamp sent as text (query parameters): ISO-8601 or epoch seconds. Undefined when it
 * is neither.
 */
export function parseTimestampText(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const seconds = Number(trimmed);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}
