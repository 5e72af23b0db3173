import type { CallContext } from '@stratus/shared';
import { illegalVersioningConfiguration, invalidBucketState, malformedXml } from '../errors.js';
import { requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';

interface PutBucketVersioningInput {
  Bucket: string;
  ExpectedBucketOwner?: string;
  VersioningConfiguration?: { Status?: string; MFADelete?: string };
}

/** Bucket versioning: never enabled, Enabled, or Suspended (a bucket never goes back to unversioned). */
export function versioningOperations(rt: S3Runtime): Operations {
  return {
    async PutBucketVersioning(input: PutBucketVersioningInput, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const config = input.VersioningConfiguration ?? {};
      const status = config.Status;
      if (status === undefined) {
        if (config.MFADelete !== undefined) return {};
        throw illegalVersioningConfiguration('The Versioning element must be specified');
      }
      if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
      if (bucket.objectLockEnabled && status !== 'Enabled') {
        throw invalidBucketState('An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
      }
      await rt.store.updateBucket(bucket.name, { versioning: status });
      return {};
    },

    async GetBucketVersioning(input: { Bucket: string; ExpectedBucketOwner?: string }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      return bucket.versioning ? { Status: bucket.versioning } : {};
    },
  };
}
