import type { CallContext } from '@stratus/shared';
import { noSuchKey, noSuchVersion } from '../errors.js';
import type { BucketRecord, ObjectRecord } from '../model.js';
import { notify, requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';
import { sortedTags, tagSetOf, validateObjectTags } from '../tags.js';
import { checkVersionId } from './objects.js';

interface ObjectTaggingInput {
  Bucket: string;
  Key: string;
  VersionId?: string;
  Tagging?: { TagSet?: unknown };
  ExpectedBucketOwner?: string;
}

/** Object tags: a version's tag set, replaced whole or removed. */
export function taggingOperations(rt: S3Runtime): Operations {
  const { store } = rt;

  async function version(call: S3Call, input: ObjectTaggingInput, missingKey: string): Promise<{ bucket: BucketRecord; record: ObjectRecord }> {
    const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
    checkVersionId(input.VersionId);
    const record = await store.getObject(bucket.name, input.Key, input.VersionId);
    if (!record || record.deleteMarker) {
      throw input.VersionId !== undefined ? noSuchVersion(input.Key, input.VersionId) : noSuchKey(missingKey);
    }
    return { bucket, record };
  }

  const versionMember = (bucket: BucketRecord, record: ObjectRecord) => (bucket.versioning ? { VersionId: record.versionId } : {});

  return {
    async PutObjectTagging(input: ObjectTaggingInput, ctx: CallContext, call: S3Call) {
      const tags = tagSetOf(input.Tagging);
      validateObjectTags(tags);
      const { bucket, record } = await version(call, input, input.Key);
      const updated = await store.updateObject(bucket.name, input.Key, record.versionId, { tags: tags.length > 0 ? tags : undefined });
      if (!updated) throw noSuchKey(input.Key);
      notify(rt, ctx, bucket, 'ObjectTagging:Put', { key: input.Key, etag: record.etag, versionId: bucket.versioning ? record.versionId : undefined });
      return versionMember(bucket, record);
    },

    async GetObjectTagging(input: ObjectTaggingInput, _ctx: CallContext, call: S3Call) {
      // S3 names the missing object as bucket/key here.
      const { bucket, record } = await version(call, input, `${input.Bucket}/${input.Key}`);
      // S3 keeps tags by key: they come back in key order whatever order they were given in.
      return { TagSet: sortedTags(record.tags ?? []), ...versionMember(bucket, record) };
    },

    async DeleteObjectTagging(input: ObjectTaggingInput, ctx: CallContext, call: S3Call) {
      const { bucket, record } = await version(call, input, input.Key);
      await store.updateObject(bucket.name, input.Key, record.versionId, { tags: undefined });
      notify(rt, ctx, bucket, 'ObjectTagging:Delete', { key: input.Key, etag: record.etag, versionId: bucket.versioning ? record.versionId : undefined });
      return { $status: 204, ...versionMember(bucket, record) };
    },
  };
}
