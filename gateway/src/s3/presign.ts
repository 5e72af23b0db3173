import { AwsError } from '@stratus/shared';

/**
 * Presigned URLs: Stratus does not verify signatures, but it does refuse a URL past its expiry on the
 * shared clock, as S3 does (so tests can advance the clock past it). SigV4 presigns carry
 * `X-Amz-Date` + `X-Amz-Expires`; SigV2 ones `Expires` (epoch seconds).
 */

/** A week: the longest X-Amz-Expires S3 accepts. */
const MAX_EXPIRES = 604_800;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** ISO-8601 without milliseconds, as S3 writes Expires and ServerTime. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function queryError(message: string): AwsError {
  return new AwsError('AuthorizationQueryParametersError', message, 400);
}

/** Whether the query string is a presigned URL's (its x-amz-* parameters then count as headers). */
export function isPresigned(query: URLSearchParams): boolean {
  return query.has('X-Amz-Signature') || query.has('X-Amz-Credential') || (query.has('Signature') && query.has('AWSAccessKeyId'));
}

/** Throws S3's error when a presigned URL's parameters are invalid or it has expired at `now`. */
export function checkPresignedExpiry(query: URLSearchParams, now: number): void {
  const v4Expires = query.get('X-Amz-Expires');
  if (v4Expires !== null) {
    if (!/^-?\d+$/.test(v4Expires)) throw queryError('X-Amz-Expires should be a number');
    const seconds = Number(v4Expires);
    if (seconds < 0) throw queryError('X-Amz-Expires must be non-negative');
    if (seconds > MAX_EXPIRES) throw queryError(`X-Amz-Expires must be less than a week (in seconds) that is; ${MAX_EXPIRES}`);
    const date = AMZ_DATE.exec(query.get('X-Amz-Date') ?? '');
    if (!date) throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    const signedAt = Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]);
    const expiresAt = signedAt + seconds * 1000;
    if (now > expiresAt) {
      throw new AwsError('AccessDenied', 'Request has expired', 403, {
        fields: { 'X-Amz-Expires': v4Expires, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) },
      });
    }
    return;
  }
  const v2Expires = query.get('Expires');
  if (v2Expires !== null && query.has('Signature')) {
    const seconds = Number(v2Expires);
    if (!/^\d+$/.test(v2Expires)) throw new AwsError('AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters', 403);
    if (now > seconds * 1000) {
      throw new AwsError('AccessDenied', 'Request has expired', 403, { fields: { Expires: isoSeconds(seconds * 1000), ServerTime: isoSeconds(now) } });
    }
  }
}
