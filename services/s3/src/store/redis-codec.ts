import type { BucketRecord, ConfigKind, ObjectRecord, PartRecord, UploadRecord } from '../model.js';
import type { NewObject, WriteCondition } from './types.js';

// How records are written to and read from Redis (see redis-keys.ts and redis-scripts.ts).

export type Arg = string | number;

/** A version as the scripts reply with it: versionId, seq, base JSON, inline ('+<base64>' | ''), patched members (name, JSON | '' ...). */
export type VersionReply = [string, number, string, string, string[]];

// ---- buckets ----

/** createBucket's ARGV after the name and account: base, versioning or '', configuration pairs. */
export function bucketArgs(bucket: BucketRecord): Arg[] {
  const { versioning, config, ...base } = bucket;
  const args: Arg[] = [JSON.stringify(base), versioning ?? ''];
  for (const [kind, value] of Object.entries(config)) if (value !== undefined && value !== null) args.push(kind, JSON.stringify(value));
  return args;
}

/** A bucket from its hash, as HGETALL gives it (an object, or inside a script reply a flat array). */
export function decodeBucket(hash: Readonly<Record<string, string>> | readonly string[]): BucketRecord | undefined {
  const fields = Array.isArray(hash) ? pairsToObject(hash as readonly string[]) : (hash as Readonly<Record<string, string>>);
  if (fields.r === undefined) return undefined;
  const config: Partial<Record<ConfigKind, unknown>> = {};
  for (const [name, value] of Object.entries(fields)) if (name.startsWith('c:')) config[name.slice(2) as ConfigKind] = JSON.parse(value);
  const base = JSON.parse(fields.r) as Omit<BucketRecord, 'versioning' | 'config'>;
  return fields.v ? { ...base, versioning: fields.v as BucketRecord['versioning'], config } : { ...base, config };
}

function pairsToObject(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

// ---- object versions ----

/** The write arguments of a version (see versionFrom in redis-scripts.ts). */
export function writeArgs(object: NewObject, versionId: string): Arg[] {
  const { inline, ...base } = object;
  return [versionId, JSON.stringify(base), inline === undefined ? '' : `+${inline}`, object.etag, object.blob, object.deleteMarker ? 1 : 0];
}

/** updateObject's pairs: each member the patch names, with its JSON, or '' when it is to go. */
export function patchArgs(patch: Readonly<Record<string, unknown>>): Arg[] {
  const args: Arg[] = [];
  for (const [member, value] of Object.entries(patch)) args.push(member, value === undefined || value === null ? '' : JSON.stringify(value));
  return args;
}

/** A delete marker's base JSON (the script gives it its versionId and seq). */
export function markerBase(key: string, now: number, owner: string): string {
  return JSON.stringify({ key, deleteMarker: true, lastModified: now, owner, etag: '', size: 0, blob: '' });
}

/** A write condition's ARGV: ifNoneMatch (0/1), has ifMatch (0/1), ifMatch, notWrittenSince or ''. */
export function conditionArgs(condition: WriteCondition | undefined): Arg[] {
  return [
    condition?.ifNoneMatch ? 1 : 0,
    condition?.ifMatch !== undefined ? 1 : 0,
    condition?.ifMatch ?? '',
    condition?.notWrittenSince !== undefined ? condition.notWrittenSince : '',
  ];
}

export function decodeVersion([versionId, seq, base, inline, patch]: VersionReply): ObjectRecord {
  const record = JSON.parse(base) as Record<string, unknown>;
  for (let i = 0; i < patch.length; i += 2) {
    if (patch[i + 1] === '') delete record[patch[i]];
    else record[patch[i]] = JSON.parse(patch[i + 1]);
  }
  record.versionId = versionId;
  record.seq = Number(seq);
  if (inline !== '') record.inline = inline.slice(1);
  return record as unknown as ObjectRecord;
}

// ---- multipart uploads ----

export function uploadArgs(upload: Omit<UploadRecord, 'seq'>): Arg[] {
  return [upload.uploadId, upload.key, JSON.stringify(upload)];
}

export function decodeUpload([seq, json]: [number, string]): UploadRecord {
  return { ...(JSON.parse(json) as Omit<UploadRecord, 'seq'>), seq: Number(seq) };
}

export function decodePart(json: string): PartRecord {
  return JSON.parse(json) as PartRecord;
}
