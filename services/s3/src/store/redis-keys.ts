/**
 * The Redis key scheme of the S3 store. Everything lives under `s3:`; bucket names are global, so a
 * bucket's keys are named by the bucket alone (no hash tags: the store targets one Redis, not a cluster).
 *
 * Per bucket, in this order (every script gets them as one block of KEYS, see redis-scripts.ts):
 *   b   hash  the record: `r` (JSON of the fields other than versioning and config), `v` (versioning
 *             status, absent until configured), `c:<kind>` (JSON of each configuration); its existence is
 *             the bucket's existence
 *   k   zset  every key having at least one version (score 0: lexical order, which is the UTF-8 byte
 *             order S3 lists in): ListObjectVersions
 *   c   zset  every key whose current version is an object, not a delete marker: ListObjects, which
 *             then never walks over deleted keys
 *   l   hash  key -> its version ids, newest first, separated by spaces
 *   o   hash  `<versionId>/<key>` -> the version, msgpack (see redis-scripts.ts); its length is the
 *             bucket's number of versions and delete markers
 *   u   hash  upload id -> the upload, msgpack (seq, key, JSON of the record without seq)
 *   p   hash  `<uploadId>:<partNumber, 5 digits>` -> the part, msgpack (blob id, JSON of the record)
 *   pi  zset  the same members (score 0): an upload's parts in part number order, by lexical range
 *   uk  hash  key -> number of uploads in progress for it
 *   d   hash  for keys with uploads in progress: sequence number of the last removal of their current
 *             version (a conditional completion conflicts with it)
 *
 * Global: `s3:seq` (the store-wide write sequence), `s3:refs` (blob id -> number of versions and parts
 * naming it; a blob with none has no field), `s3:buckets` (bucket name -> owning account).
 */

const BUCKET_PARTS = ['b', 'k', 'c', 'l', 'o', 'u', 'p', 'pi', 'uk', 'd'] as const;

/** How many KEYS one bucket takes in a script call. */
export const BUCKET_KEY_COUNT = BUCKET_PARTS.length;

export const SEQUENCE = 's3:seq';
export const REFS = 's3:refs';
export const BUCKETS = 's3:buckets';
export const ALL_KEYS_PATTERN = 's3:*';

/** The KEYS of every script call: the bucket's block, then the sequence, the reference counts and the bucket index. */
export function scriptKeys(bucket: string): string[] {
  return [...BUCKET_PARTS.map((part) => `s3:${part}:${bucket}`), SEQUENCE, REFS, BUCKETS];
}

export function bucketKey(bucket: string): string {
  return `s3:b:${bucket}`;
}
