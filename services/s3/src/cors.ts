import { accessForbidden, badRequest } from './errors.js';
import type { BucketRecord } from './model.js';

// Evaluating a bucket's CORS rules for a request, as S3 does: the first rule that allows the origin,
// the method and every requested header decides the Access-Control-* headers of the answer.

export interface CorsRule {
  ID?: string;
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders?: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

export interface CorsRequest {
  Bucket: string;
  Key?: string;
  Origin?: string;
  /** The method of the actual request: a preflight's Access-Control-Request-Method. */
  Method: string;
  /** A preflight's Access-Control-Request-Headers, comma-separated. */
  RequestHeaders?: string;
  /** True for an OPTIONS preflight, which S3 answers with an error when nothing matches. */
  Preflight?: boolean;
}

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

/** `*` in a pattern matches any run of characters. */
function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

/**
 * The Access-Control-* headers for the request, or S3's error for a preflight that is not allowed
 * (an actual request that matches no rule simply gets no CORS headers).
 */
export function evaluateCors(bucket: BucketRecord | undefined, req: CorsRequest): Record<string, string> {
  const resourceType = req.Key ? 'OBJECT' : 'BUCKET';
  if (req.Preflight) {
    if (!req.Origin) throw badRequest('Insufficient information. Origin request header needed.');
    if (!bucket) throw accessForbidden('Bucket not found', req.Method, 'BUCKET');
  }
  if (!req.Origin || !bucket) return {};
  const rules = (bucket.config.cors as { CORSRules?: CorsRule[] } | undefined)?.CORSRules;
  if (!rules) {
    if (req.Preflight) throw accessForbidden('CORS is not enabled for this bucket.', req.Method, resourceType);
    return {};
  }
  const requested = (req.RequestHeaders ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const rule of rules) {
    const origin = rule.AllowedOrigins.find((o) => wildcardMatch(o, req.Origin!));
    if (origin === undefined || !rule.AllowedMethods.includes(req.Method)) continue;
    const allowed = (rule.AllowedHeaders ?? []).map((h) => h.toLowerCase());
    if (!requested.every((h) => allowed.some((a) => wildcardMatch(a, h)))) continue;
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': origin === '*' ? '*' : req.Origin,
      'Access-Control-Allow-Methods': rule.AllowedMethods.join(', '),
      Vary: VARY,
    };
    if (origin !== '*') headers['Access-Control-Allow-Credentials'] = 'true';
    if (req.Preflight && requested.length > 0) headers['Access-Control-Allow-Headers'] = requested.join(', ');
    if (rule.ExposeHeaders?.length) headers['Access-Control-Expose-Headers'] = rule.ExposeHeaders.join(', ');
    if (rule.MaxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = String(rule.MaxAgeSeconds);
    return headers;
  }
  if (req.Preflight) {
    throw accessForbidden(
      "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      req.Method,
      resourceType,
    );
  }
  return {};
}
