/**
 * S3 addressing: virtual-hosted requests name the bucket in the Host header (`<bucket>.s3.localhost`,
 * `<bucket>.s3.us-east-1.amazonaws.com`, ...), path-style ones in the first path segment. Everything
 * downstream works on the path-style form, so a virtual-hosted request is rewritten to it here.
 */

/**
 * Host names (without port) that are an S3 endpoint themselves, not a bucket's: the local ones
 * (`localhost`, `s3.localhost`, `s3.<region>.localhost`, LocalStack's `localhost.localstack.cloud`
 * forms, which SDK setups made for LocalStack use) and AWS's (`s3.amazonaws.com`,
 * `s3.<region>.amazonaws.com`, `s3-<region>.amazonaws.com`, `s3.dualstack.<region>.amazonaws.com`).
 */
const ENDPOINT =
  '(?:localhost|s3(?:\\.[a-z0-9-]+)?\\.localhost|(?:s3(?:\\.[a-z0-9-]+)?\\.)?localhost\\.localstack\\.cloud|s3(?:[.-][a-z0-9-]+)*\\.amazonaws\\.com(?:\\.cn)?)';
const IS_ENDPOINT = new RegExp(`^${ENDPOINT}$`);
/** `<bucket>.<endpoint>`; the lazy bucket part keeps dots that belong to it (`my.bucket.s3.localhost`). */
const VIRTUAL_HOST = new RegExp(`^(.+?)\\.${ENDPOINT}$`);

/** Recent Host headers and the bucket each names ('' for none): clients send the same few again and again. */
const hosts = new Map<string, string>();

/** The bucket a Host header names, if it is a virtual-hosted S3 host. */
export function bucketOfHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  let bucket = hosts.get(host);
  if (bucket === undefined) {
    bucket = parseHost(host) ?? '';
    if (hosts.size >= 256) hosts.clear();
    hosts.set(host, bucket);
  }
  return bucket === '' ? undefined : bucket;
}

function parseHost(host: string): string | undefined {
  // Strip the port; an IPv6 literal ([::1]:4566) is never a bucket.
  if (host.startsWith('[')) return undefined;
  const colon = host.lastIndexOf(':');
  const name = (colon < 0 ? host : host.slice(0, colon)).toLowerCase();
  if (IS_ENDPOINT.test(name)) return undefined;
  const m = VIRTUAL_HOST.exec(name);
  return m ? m[1] : undefined;
}

/** The path-style raw path of a request: `/<bucket><path>` for a virtual-hosted one, else the path itself. */
export function pathStyle(host: string | undefined, rawPath: string): { path: string; virtualHost: boolean } {
  const bucket = bucketOfHost(host);
  if (bucket === undefined) return { path: rawPath, virtualHost: false };
  return { path: `/${encodeURIComponent(bucket)}${rawPath === '/' ? '' : rawPath}`, virtualHost: true };
}
