/**
 * Sets a map entry whose key came from a client. A plain assignment of `__proto__` would replace the
 * object's prototype instead of adding an entry, so that one key is defined as an own property.
 */
export function setEntry(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}
