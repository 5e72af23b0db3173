import { DAY_MS, httpDate, nextMidnight, type ObjectRecord, type Tag, type UploadRecord } from './model.js';

// Bucket lifecycle rules: which objects a rule covers and when its actions fall due. S3 runs
// lifecycle actions at midnight UTC: an action due N days after an instant happens at the first
// midnight after that instant plus N days, and Date actions must name a midnight.

export interface LifecycleFilter {
  Prefix?: string;
  Tag?: Tag;
  ObjectSizeGreaterThan?: number;
  ObjectSizeLessThan?: number;
  And?: { Prefix?: string; Tags?: Tag[]; ObjectSizeGreaterThan?: number; ObjectSizeLessThan?: number };
}

export interface LifecycleRule {
  ID?: string;
  Status: 'Enabled' | 'Disabled';
  Filter?: LifecycleFilter;
  /** Legacy rules name a prefix here instead of a Filter. */
  Prefix?: string;
  Expiration?: { Date?: number; Days?: number; ExpiredObjectDeleteMarker?: boolean };
  NoncurrentVersionExpiration?: { NoncurrentDays?: number; NewerNoncurrentVersions?: number };
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: number };
  Transitions?: unknown[];
  NoncurrentVersionTransitions?: unknown[];
}

export interface LifecycleConfiguration {
  Rules: LifecycleRule[];
  TransitionDefaultMinimumObjectSize?: string;
}

export function enabledRules(config: unknown): LifecycleRule[] {
  const rules = (config as LifecycleConfiguration | undefined)?.Rules;
  return rules ? rules.filter((r) => r.Status === 'Enabled') : [];
}

function hasTag(tags: readonly Tag[] | undefined, tag: Tag): boolean {
  return !!tags?.some((t) => t.Key === tag.Key && t.Value === tag.Value);
}

/** Whether a rule covers an object with this key, size and tags. */
export function ruleCovers(rule: LifecycleRule, key: string, size: number, tags: readonly Tag[] | undefined): boolean {
  if (rule.Prefix !== undefined && !key.startsWith(rule.Prefix)) return false;
  const f = rule.Filter;
  if (!f) return true;
  if (f.Prefix !== undefined && !key.startsWith(f.Prefix)) return false;
  if (f.Tag && !hasTag(tags, f.Tag)) return false;
  if (f.ObjectSizeGreaterThan !== undefined && !(size > f.ObjectSizeGreaterThan)) return false;
  if (f.ObjectSizeLessThan !== undefined && !(size < f.ObjectSizeLessThan)) return false;
  const and = f.And;
  if (and) {
    if (and.Prefix !== undefined && !key.startsWith(and.Prefix)) return false;
    for (const t of and.Tags ?? []) if (!hasTag(tags, t)) return false;
    if (and.ObjectSizeGreaterThan !== undefined && !(size > and.ObjectSizeGreaterThan)) return false;
    if (and.ObjectSizeLessThan !== undefined && !(size < and.ObjectSizeLessThan)) return false;
  }
  return true;
}

/** When a current object expires, and by which rule (the earliest of the rules covering it). */
export function expirationOf(rules: readonly LifecycleRule[], object: ObjectRecord): { at: number; ruleId: string } | undefined {
  let best: { at: number; ruleId: string } | undefined;
  for (const rule of rules) {
    const e = rule.Expiration;
    if (!e || (e.Days === undefined && e.Date === undefined)) continue;
    if (!ruleCovers(rule, object.key, object.size, object.tags)) continue;
    const at = e.Days !== undefined ? nextMidnight(object.lastModified + e.Days * DAY_MS) : (e.Date as number);
    if (!best || at < best.at) best = { at, ruleId: rule.ID ?? '' };
  }
  return best;
}

/** The `x-amz-expiration` header value. */
export function expirationHeader(expiration: { at: number; ruleId: string } | undefined): string | undefined {
  if (!expiration) return undefined;
  return `expiry-date="${httpDate(expiration.at)}", rule-id="${expiration.ruleId}"`;
}

/** When a version that stopped being current at `since` expires (NoncurrentVersionExpiration). */
export function noncurrentExpiry(rules: readonly LifecycleRule[], version: ObjectRecord, since: number, newerNoncurrent: number): number | undefined {
  let best: number | undefined;
  for (const rule of rules) {
    const n = rule.NoncurrentVersionExpiration;
    if (!n || n.NoncurrentDays === undefined) continue;
    if (n.NewerNoncurrentVersions !== undefined && newerNoncurrent < n.NewerNoncurrentVersions) continue;
    if (!ruleCovers(rule, version.key, version.size, version.tags)) continue;
    const at = nextMidnight(since + n.NoncurrentDays * DAY_MS);
    if (best === undefined || at < best) best = at;
  }
  return best;
}

/** Whether a rule removes a delete marker that is the only version left of its key. */
export function removesExpiredMarker(rules: readonly LifecycleRule[], key: string): boolean {
  return rules.some((r) => (r.Expiration?.ExpiredObjectDeleteMarker || r.Expiration?.Days !== undefined) && ruleCovers(r, key, 0, undefined));
}

/** When an unfinished upload is aborted, and by which rule (AbortIncompleteMultipartUpload). */
export function abortOf(rules: readonly LifecycleRule[], upload: UploadRecord): { at: number; ruleId: string } | undefined {
  let best: { at: number; ruleId: string } | undefined;
  for (const rule of rules) {
    const days = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
    if (days === undefined) continue;
    // Tag and size filters do not apply to uploads: only the prefix does.
    const prefix = rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '';
    if (!upload.key.startsWith(prefix)) continue;
    const at = nextMidnight(upload.initiated + days * DAY_MS);
    if (!best || at < best.at) best = { at, ruleId: rule.ID ?? '' };
  }
  return best;
}
