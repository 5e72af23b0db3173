import type { CallContext } from '@stratus/shared';
import { invalidArgument } from '../errors.js';
import { MAX_LIST_KEYS, ownerOf, quoteEtag, urlEncodeKey, type ObjectRecord } from '../model.js';
import { requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';
import type { ListEntry } from '../store/types.js';

interface ListInput {
  Bucket: string;
  Prefix?: string;
  Delimiter?: string;
  MaxKeys?: number;
  EncodingType?: string;
  ExpectedBucketOwner?: string;
}

/** `encoding-type`: only `url` is a method S3 knows. */
export function encoderFor(encodingType: string | undefined): (s: string) => string {
  if (encodingType === undefined || encodingType === null) return (s) => s;
  if (encodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType || undefined);
  return urlEncodeKey;
}

export function maxKeysOf(value: number | undefined, name = 'max-keys'): number {
  if (value === undefined || value === null) return MAX_LIST_KEYS;
  if (!Number.isInteger(value) || value < 0) throw invalidArgument(`Argument ${name} must be an integer between 0 and 2147483647`, name, value);
  return Math.min(value, MAX_LIST_KEYS);
}

function encodeToken(after: string): string {
  return Buffer.from(`\u0000${after}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || !text.startsWith('\u0000') || encodeToken(text.slice(1)) !== token) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token');
  }
  return text.slice(1);
}

/** One `Contents` entry of ListObjects / ListObjectsV2. */
function contentOf(o: ObjectRecord, encode: (s: string) => string, withOwner: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Key: encode(o.key),
    LastModified: o.lastModified,
    ETag: quoteEtag(o.etag),
    Size: o.size,
    StorageClass: o.storageClass ?? 'STANDARD',
  };
  if (o.checksum) {
    out.ChecksumAlgorithm = [o.checksum.algorithm];
    out.ChecksumType = o.checksum.type;
  }
  if (withOwner) out.Owner = ownerOf(o.owner);
  return out;
}

function split(entries: readonly ListEntry[]): { objects: ObjectRecord[]; prefixes: string[] } {
  const objects: ObjectRecord[] = [];
  const prefixes: string[] = [];
  for (const e of entries) {
    if (e.record) objects.push(e.record);
    else prefixes.push(e.prefix);
  }
  return { objects, prefixes };
}

/** The string a later page starts after: the last key or common prefix returned. */
function lastOf(entries: readonly ListEntry[]): string | undefined {
  const e = entries[entries.length - 1];
  return e ? (e.record ? e.record.key : e.prefix) : undefined;
}

export function listingOperations(rt: S3Runtime): Operations {
  const { store } = rt;

  return {
    async ListObjects(input: ListInput & { Marker?: string }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const encode = encoderFor(input.EncodingType);
      const maxKeys = maxKeysOf(input.MaxKeys);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const page =
        maxKeys === 0
          ? { entries: [], truncated: false }
          : await store.listObjects(bucket.name, { prefix, delimiter, after: input.Marker || undefined, limit: maxKeys });
      const { objects, prefixes } = split(page.entries);
      const out: Record<string, unknown> = {
        IsTruncated: page.truncated,
        Marker: encode(input.Marker ?? ''),
        Name: bucket.name,
        // ListObjects (v1) echoes the prefix as given, even with encoding-type=url.
        Prefix: prefix,
        MaxKeys: maxKeys,
      };
      if (delimiter) out.Delimiter = encode(delimiter);
      if (page.truncated && delimiter) out.NextMarker = encode(lastOf(page.entries)!);
      if (objects.length > 0) out.Contents = objects.map((o) => contentOf(o, encode, true));
      if (prefixes.length > 0) out.CommonPrefixes = prefixes.map((p) => ({ Prefix: encode(p) }));
      if (input.EncodingType) out.EncodingType = input.EncodingType;
      return out;
    },

    async ListObjectsV2(input: ListInput & { ContinuationToken?: string; StartAfter?: string; FetchOwner?: boolean }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const encode = encoderFor(input.EncodingType);
      const maxKeys = maxKeysOf(input.MaxKeys);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const after = input.ContinuationToken !== undefined ? decodeToken(input.ContinuationToken) : input.StartAfter || undefined;
      const page = maxKeys === 0 ? { entries: [], truncated: false } : await store.listObjects(bucket.name, { prefix, delimiter, after, limit: maxKeys });
      const { objects, prefixes } = split(page.entries);
      const out: Record<string, unknown> = {
        IsTruncated: page.truncated,
        Name: bucket.name,
        Prefix: encode(prefix),
        MaxKeys: maxKeys,
        KeyCount: page.entries.length,
      };
      if (delimiter) out.Delimiter = encode(delimiter);
      if (objects.length > 0) out.Contents = objects.map((o) => contentOf(o, encode, !!input.FetchOwner));
      if (prefixes.length > 0) out.CommonPrefixes = prefixes.map((p) => ({ Prefix: encode(p) }));
      if (input.EncodingType) out.EncodingType = input.EncodingType;
      if (input.ContinuationToken !== undefined) out.ContinuationToken = input.ContinuationToken;
      if (page.truncated) out.NextContinuationToken = encodeToken(lastOf(page.entries)!);
      if (input.StartAfter !== undefined) out.StartAfter = encode(input.StartAfter);
      return out;
    },

    async ListObjectVersions(input: ListInput & { KeyMarker?: string; VersionIdMarker?: string }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const encode = encoderFor(input.EncodingType);
      const maxKeys = maxKeysOf(input.MaxKeys);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const keyMarker = input.KeyMarker || undefined;
      const versionIdMarker = input.VersionIdMarker || undefined;
      if (versionIdMarker !== undefined && keyMarker === undefined) {
        throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', versionIdMarker);
      }
      const page =
        maxKeys === 0
          ? { entries: [], truncated: false }
          : await store.listVersions(bucket.name, { prefix, delimiter, after: keyMarker, afterVersionId: versionIdMarker, limit: maxKeys });
      const versions: Record<string, unknown>[] = [];
      const markers: Record<string, unknown>[] = [];
      const prefixes: string[] = [];
      let previousKey: string | undefined;
      // A version is the latest when it is the first of its key, unless the page began inside the key.
      let continuing = versionIdMarker !== undefined ? keyMarker : undefined;
      for (const e of page.entries) {
        if (!e.record) {
          prefixes.push(e.prefix);
          continue;
        }
        const o = e.record;
        const isLatest = o.key !== previousKey && o.key !== continuing;
        previousKey = o.key;
        continuing = undefined;
        if (o.deleteMarker) {
          markers.push({ Owner: ownerOf(o.owner), Key: encode(o.key), VersionId: o.versionId, IsLatest: isLatest, LastModified: o.lastModified });
        } else {
          const v: Record<string, unknown> = {
            ETag: quoteEtag(o.etag),
            Size: o.size,
            StorageClass: o.storageClass ?? 'STANDARD',
            Key: encode(o.key),
            VersionId: o.versionId,
            IsLatest: isLatest,
            LastModified: o.lastModified,
            Owner: ownerOf(o.owner),
          };
          if (o.checksum) {
            v.ChecksumAlgorithm = [o.checksum.algorithm];
            v.ChecksumType = o.checksum.type;
          }
          versions.push(v);
        }
      }
      const out: Record<string, unknown> = {
        IsTruncated: page.truncated,
        KeyMarker: encode(keyMarker ?? ''),
        VersionIdMarker: versionIdMarker ?? '',
        Name: bucket.name,
        Prefix: encode(prefix),
        MaxKeys: maxKeys,
      };
      if (page.truncated) {
        const last = page.entries[page.entries.length - 1];
        if (last.record) {
          out.NextKeyMarker = encode(last.record.key);
          out.NextVersionIdMarker = last.record.versionId;
        } else {
          out.NextKeyMarker = encode(last.prefix);
        }
      }
      if (delimiter) out.Delimiter = encode(delimiter);
      if (versions.length > 0) out.Versions = versions;
      if (markers.length > 0) out.DeleteMarkers = markers;
      if (prefixes.length > 0) out.CommonPrefixes = prefixes.map((p) => ({ Prefix: encode(p) }));
      if (input.EncodingType) out.EncodingType = input.EncodingType;
      return out;
    },
  };
}
