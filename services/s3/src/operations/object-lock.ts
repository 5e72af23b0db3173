import type { CallContext } from '@stratus/shared';
import { noSuchObjectLockConfiguration } from '../errors.js';
import { checkRetentionChange, legalHoldOf, requireLockEnabled, retentionOf } from '../object-lock.js';
import { requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';
import { readableVersion } from './objects.js';

interface VersionInput {
  Bucket: string;
  Key: string;
  VersionId?: string;
  ExpectedBucketOwner?: string;
}

/** Object Lock on object versions: PutObjectRetention / GetObjectRetention, PutObjectLegalHold / GetObjectLegalHold. */
export function objectLockOperations(rt: S3Runtime): Operations {
  const { store, clock } = rt;

  async function lockedVersion(call: S3Call, input: VersionInput, method: string) {
    const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
    requireLockEnabled(bucket);
    const record = await readableVersion(rt, bucket, input.Key, input.VersionId, method);
    return { bucket, record };
  }

  return {
    async PutObjectRetention(
      input: VersionInput & { Retention?: { Mode?: string; RetainUntilDate?: number }; BypassGovernanceRetention?: boolean },
      _ctx: CallContext,
      call: S3Call,
    ) {
      const { bucket, record } = await lockedVersion(call, input, 'PUT');
      const now = clock.now();
      const next = retentionOf(input.Retention, now);
      checkRetentionChange(record.retention, next, input.BypassGovernanceRetention === true, now);
      await store.updateObject(bucket.name, input.Key, record.versionId, { retention: next });
      return {};
    },

    async GetObjectRetention(input: VersionInput, _ctx: CallContext, call: S3Call) {
      const { record } = await lockedVersion(call, input, 'GET');
      if (!record.retention) throw noSuchObjectLockConfiguration();
      return { Retention: { Mode: record.retention.mode, RetainUntilDate: record.retention.until } };
    },

    async PutObjectLegalHold(input: VersionInput & { LegalHold?: { Status?: string } }, _ctx: CallContext, call: S3Call) {
      const { bucket, record } = await lockedVersion(call, input, 'PUT');
      const status = legalHoldOf(input.LegalHold);
      await store.updateObject(bucket.name, input.Key, record.versionId, { legalHold: status });
      return {};
    },

    async GetObjectLegalHold(input: VersionInput, _ctx: CallContext, call: S3Call) {
      const { record } = await lockedVersion(call, input, 'GET');
      if (!record.legalHold) throw noSuchObjectLockConfiguration();
      return { LegalHold: { Status: record.legalHold } };
    },
  };
}
