import { accessDenied, invalidArgument, invalidRetentionPeriod, malformedXml, missingObjectLockConfiguration } from './errors.js';
import { DAY_MS, type BucketRecord, type ObjectLock, type ObjectRecord, type Retention } from './model.js';

// S3 Object Lock: retention (GOVERNANCE or COMPLIANCE until a date) and legal holds on object versions,
// a bucket's default retention, and the deletes and retention changes they forbid.

const MODES = new Set(['GOVERNANCE', 'COMPLIANCE']);
const MAX_YEARS = 100;
const MAX_DAYS = 36_500;
const YEAR_MS = 365 * DAY_MS;

/** Whether the bucket has Object Lock (created with it, or enabled by PutObjectLockConfiguration). */
export function lockEnabled(bucket: BucketRecord): boolean {
  if (bucket.objectLockEnabled) return true;
  return (bucket.config.objectLock as { ObjectLockEnabled?: string } | undefined)?.ObjectLockEnabled === 'Enabled';
}

export function requireLockEnabled(bucket: BucketRecord): void {
  if (!lockEnabled(bucket)) throw missingObjectLockConfiguration();
}

interface DefaultRetention {
  Mode?: string;
  Days?: number;
  Years?: number;
}

/** PutObjectLockConfiguration's document, checked as S3 checks it. */
export function validateLockConfiguration(config: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!config || config.ObjectLockEnabled !== 'Enabled') throw malformedXml();
  const rule = config.Rule as { DefaultRetention?: DefaultRetention } | undefined;
  if (rule === undefined) return config;
  const d = rule.DefaultRetention;
  if (!d || !MODES.has(d.Mode ?? '')) throw malformedXml();
  const days = d.Days ?? undefined;
  const years = d.Years ?? undefined;
  if ((days === undefined) === (years === undefined)) throw malformedXml();
  const value = (days ?? years)!;
  if (!Number.isInteger(value) || value <= 0) throw invalidRetentionPeriod('Default retention period must be a positive integer value.');
  if (years !== undefined && years > MAX_YEARS) throw invalidRetentionPeriod(`Default retention period cannot exceed ${MAX_YEARS} years.`);
  if (days !== undefined && days > MAX_DAYS) throw invalidRetentionPeriod(`Default retention period cannot exceed ${MAX_DAYS} days.`);
  return config;
}

/** The retention the bucket's default rule gives an object written at `now`. */
function defaultRetention(bucket: BucketRecord, now: number): Retention | undefined {
  const d = (bucket.config.objectLock as { Rule?: { DefaultRetention?: DefaultRetention } } | undefined)?.Rule?.DefaultRetention;
  if (!d?.Mode) return undefined;
  const span = d.Days !== undefined && d.Days !== null ? d.Days * DAY_MS : (d.Years ?? 0) * YEAR_MS;
  return { mode: d.Mode as Retention['mode'], until: now + span };
}

export interface LockInput {
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: number;
  ObjectLockLegalHoldStatus?: string;
}

/**
 * The Object Lock a write (PutObject, CopyObject, CreateMultipartUpload) gives its object: what its
 * headers ask for, else the bucket's default retention. Undefined when the bucket has no Object Lock
 * and the write asks for none.
 */
export function lockOfWrite(input: LockInput, bucket: BucketRecord, now: number): ObjectLock | undefined {
  const mode = input.ObjectLockMode ?? undefined;
  const until = input.ObjectLockRetainUntilDate ?? undefined;
  const hold = input.ObjectLockLegalHoldStatus ?? undefined;
  const asked = mode !== undefined || until !== undefined || hold !== undefined;
  if (!lockEnabled(bucket)) {
    if (asked) throw missingObjectLockConfiguration();
    return undefined;
  }
  if ((mode === undefined) !== (until === undefined)) {
    throw invalidArgument('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', 'x-amz-object-lock-retain-until-date');
  }
  if (mode !== undefined && !MODES.has(mode)) throw invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
  if (hold !== undefined && hold !== 'ON' && hold !== 'OFF') {
    throw invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", 'x-amz-object-lock-legal-hold', hold);
  }
  if (until !== undefined && until <= now) throw invalidArgument('The retain until date must be in the future!', 'x-amz-object-lock-retain-until-date');
  const retention = mode !== undefined ? { mode: mode as Retention['mode'], until: until! } : defaultRetention(bucket, now);
  if (!retention && hold === undefined) return undefined;
  return { ...(retention ? { retention } : {}), ...(hold !== undefined ? { legalHold: hold as 'ON' | 'OFF' } : {}) };
}

/** The record fields of a lock. */
export function lockFields(lock: ObjectLock | undefined): Pick<ObjectRecord, 'retention' | 'legalHold'> {
  if (!lock) return {};
  return { ...(lock.retention ? { retention: lock.retention } : {}), ...(lock.legalHold ? { legalHold: lock.legalHold } : {}) };
}

/** The GET/HEAD members of a version's lock. */
export function lockMembers(record: ObjectRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (record.retention) {
    out.ObjectLockMode = record.retention.mode;
    out.ObjectLockRetainUntilDate = record.retention.until;
  }
  if (record.legalHold) out.ObjectLockLegalHoldStatus = record.legalHold;
  return out;
}

/** A version may be deleted for good only when no legal hold and no running retention (GOVERNANCE: unless bypassed) protect it. */
export function checkDeletable(record: ObjectRecord, bypassGovernance: boolean, now: number): void {
  if (record.deleteMarker) return;
  if (record.legalHold === 'ON') throw accessDenied();
  const r = record.retention;
  if (r && r.until > now && (r.mode === 'COMPLIANCE' || !bypassGovernance)) throw accessDenied();
}

/** PutObjectRetention's `Retention`, checked. */
export function retentionOf(value: { Mode?: string; RetainUntilDate?: number } | undefined, now: number): Retention | undefined {
  if (!value || (value.Mode === undefined && value.RetainUntilDate === undefined)) return undefined;
  if (!MODES.has(value.Mode ?? '') || value.RetainUntilDate === undefined || value.RetainUntilDate === null) throw malformedXml();
  if (value.RetainUntilDate <= now) throw invalidArgument('The retain until date must be in the future!', 'RetainUntilDate');
  return { mode: value.Mode as Retention['mode'], until: value.RetainUntilDate };
}

/**
 * Whether a version's retention may become `next`: a running COMPLIANCE retention may only be extended;
 * a running GOVERNANCE one may be shortened, removed or made COMPLIANCE only with the bypass.
 */
export function checkRetentionChange(current: Retention | undefined, next: Retention | undefined, bypassGovernance: boolean, now: number): void {
  if (!current || current.until <= now) return;
  const weaker = !next || next.until < current.until || next.mode !== current.mode;
  if (!weaker) return;
  if (current.mode === 'COMPLIANCE' || !bypassGovernance) throw accessDenied();
}

export function legalHoldOf(value: { Status?: string } | undefined): 'ON' | 'OFF' {
  const status = value?.Status;
  if (status !== 'ON' && status !== 'OFF') throw malformedXml();
  return status;
}
