import { notModified, preconditionFailed } from './errors.js';
import { httpDate, quoteEtag, unquoteEtag, type ObjectRecord } from './model.js';

export interface ReadConditions {
  IfMatch?: string;
  IfNoneMatch?: string;
  /** Epoch ms. */
  IfModifiedSince?: number;
  IfUnmodifiedSince?: number;
}

/** Whether an If-Match / If-None-Match value (`*`, one ETag or a list, quoted or not) names this ETag. */
export function etagMatches(header: string, etag: string): boolean {
  for (const part of header.split(',')) {
    const candidate = part.trim();
    if (candidate === '*' || unquoteEtag(candidate) === etag) return true;
  }
  return false;
}

type Verdict = { condition: 'If-Match' | 'If-Unmodified-Since' | 'If-None-Match' | 'If-Modified-Since'; notModified: boolean } | undefined;

/**
 * S3's precedence (RFC 7232's): If-Match decides and If-Unmodified-Since is ignored when it is
 * present; a failure of either is 412. Then If-None-Match decides and If-Modified-Since is ignored
 * when it is present; a failure of either is 304 on reads. If-Modified-Since in the future is ignored.
 */
function evaluate(record: ObjectRecord, c: ReadConditions, now: number): Verdict {
  if (c.IfMatch !== undefined && c.IfMatch !== null) {
    if (!etagMatches(c.IfMatch, record.etag)) return { condition: 'If-Match', notModified: false };
  } else if (c.IfUnmodifiedSince !== undefined && c.IfUnmodifiedSince !== null && record.lastModified > c.IfUnmodifiedSince) {
    return { condition: 'If-Unmodified-Since', notModified: false };
  }
  if (c.IfNoneMatch !== undefined && c.IfNoneMatch !== null) {
    if (etagMatches(c.IfNoneMatch, record.etag)) return { condition: 'If-None-Match', notModified: true };
  } else if (c.IfModifiedSince !== undefined && c.IfModifiedSince !== null && c.IfModifiedSince <= now && record.lastModified <= c.IfModifiedSince) {
    return { condition: 'If-Modified-Since', notModified: true };
  }
  return undefined;
}

/** GET / HEAD: 412 PreconditionFailed or 304 Not Modified, as S3 decides. */
export function checkReadConditions(record: ObjectRecord, c: ReadConditions, now: number): void {
  const verdict = evaluate(record, c, now);
  if (!verdict) return;
  if (verdict.notModified) {
    const headers: Record<string, string> = { ETag: quoteEtag(record.etag), 'Last-Modified': httpDate(record.lastModified) };
    if (record.versionId !== 'null') headers['x-amz-version-id'] = record.versionId;
    throw notModified(headers);
  }
  throw preconditionFailed(verdict.condition);
}

export interface CopySourceConditions {
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: number;
  CopySourceIfUnmodifiedSince?: number;
}

/** CopyObject / UploadPartCopy: the same rules on the source, every failure a 412. */
export function checkCopySourceConditions(source: ObjectRecord, c: CopySourceConditions, now: number): void {
  const verdict = evaluate(
    source,
    {
      IfMatch: c.CopySourceIfMatch,
      IfNoneMatch: c.CopySourceIfNoneMatch,
      IfModifiedSince: c.CopySourceIfModifiedSince,
      IfUnmodifiedSince: c.CopySourceIfUnmodifiedSince,
    },
    now,
  );
  if (verdict) throw preconditionFailed(`x-amz-copy-source-${verdict.condition}`);
}
