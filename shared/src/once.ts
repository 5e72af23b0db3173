/** An async value made on first use and shared by every later caller (lazy loading of heavy parts). */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

/**
 * How long after startup lazily loaded parts (services, the S3 path) are loaded in the background. A
 * first request in that window loads only what it needs, so it is answered as fast as the process can.
 */
export const WARM_UP_DELAY_MS = 300;

/** Runs `warm` once the process has had WARM_UP_DELAY_MS to answer first requests; never keeps it alive. */
export function warmUpLater(warm: () => void): void {
  setTimeout(warm, WARM_UP_DELAY_MS).unref();
}
