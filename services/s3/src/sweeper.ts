import { randomUUID } from 'node:crypto';
import type { CallContext } from '@stratus/shared';
import { abortOf, enabledRules, expirationOf, noncurrentExpiry, removesExpiredMarker, type LifecycleRule } from './lifecycle.js';
import { DAY_MS, newVersionId, type BucketRecord, type ObjectRecord } from './model.js';
import { notify, type S3Runtime } from './runtime.js';

/**
 * Applies lifecycle rules (expiration of current and noncurrent versions, removal of expired delete
 * markers, abort of incomplete multipart uploads) from clock readings, never from timers. Every rule
 * falls due at a midnight UTC, so a sweep is needed only when a request sees a day that no sweep has
 * seen yet (or when a lifecycle configuration changed); the request waits for it, so what it reads is
 * already expired as it should be. Deletions are conditional on the version being unchanged, so
 * replicas sweeping the same bucket at once do each deletion once.
 */
export class LifecycleSweeper {
  private sweptDay = Number.NaN;
  private running: Promise<void> | undefined;

  constructor(private readonly rt: S3Runtime) {}

  /** The next request sweeps, whatever the day. */
  changed(): void {
    this.sweptDay = Number.NaN;
  }

  /** Resolves once state reflects every rule due at `now` (immediately, on most requests). */
  whenDue(now: number): Promise<void> | undefined {
    if (this.running) return this.running;
    const day = Math.floor(now / DAY_MS);
    if (day === this.sweptDay) return undefined;
    this.sweptDay = day;
    this.running = this.sweep(now)
      .catch((err: unknown) => this.rt.logger.error({ err }, 's3 lifecycle sweep failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async sweep(now: number): Promise<void> {
    for (const bucket of await this.rt.store.listBuckets()) {
      const rules = enabledRules(bucket.config.lifecycle);
      if (rules.length === 0) continue;
      await this.sweepVersions(bucket, rules, now);
      await this.sweepUploads(bucket, rules, now);
    }
  }

  private async sweepVersions(bucket: BucketRecord, rules: LifecycleRule[], now: number): Promise<void> {
    let group: ObjectRecord[] = [];
    let after: string | undefined;
    let afterVersionId: string | undefined;
    for (;;) {
      const page = await this.rt.store.listVersions(bucket.name, { prefix: '', after, afterVersionId, limit: 1000 });
      for (const e of page.entries) {
        const v = e.record!;
        if (group.length > 0 && group[0].key !== v.key) {
          await this.expireKey(bucket, rules, group, now);
          group = [];
        }
        group.push(v);
      }
      if (!page.truncated || page.entries.length === 0) break;
      const last = page.entries[page.entries.length - 1].record!;
      after = last.key;
      afterVersionId = last.versionId;
    }
    if (group.length > 0) await this.expireKey(bucket, rules, group, now);
  }

  /** One key's versions, newest first. */
  private async expireKey(bucket: BucketRecord, rules: LifecycleRule[], versions: ObjectRecord[], now: number): Promise<void> {
    const current = versions[0];
    const ctx = lifecycleContext(bucket);
    if (!current.deleteMarker) {
      const expiration = expirationOf(rules, current);
      if (expiration && now >= expiration.at) {
        const outcome = await this.rt.store.deleteObject(bucket.name, current.key, {
          markerVersionId: newVersionId(),
          now,
          owner: bucket.account,
          expectSeq: current.seq,
        });
        if (outcome.kind === 'removed') {
          this.rt.dropBlobs(outcome.orphans);
          notify(this.rt, ctx, bucket, 'LifecycleExpiration:Delete', { key: current.key, seq: outcome.seq });
        } else if (outcome.kind === 'marker') {
          this.rt.dropBlobs(outcome.orphans);
          notify(this.rt, ctx, bucket, 'LifecycleExpiration:DeleteMarkerCreated', {
            key: current.key,
            versionId: outcome.marker.versionId,
            seq: outcome.marker.seq,
          });
        }
      }
    } else if (versions.length === 1 && removesExpiredMarker(rules, current.key)) {
      await this.remove(bucket, current, ctx);
    }
    let newerNoncurrent = 0;
    for (let i = 1; i < versions.length; i++) {
      const at = noncurrentExpiry(rules, versions[i], versions[i - 1].lastModified, newerNoncurrent);
      if (at !== undefined && now >= at) await this.remove(bucket, versions[i], ctx);
      else newerNoncurrent++;
    }
  }

  private async remove(bucket: BucketRecord, version: ObjectRecord, ctx: CallContext): Promise<void> {
    // Object Lock outranks lifecycle: a held or retained version stays.
    if (version.legalHold === 'ON' || (version.retention && version.retention.until > this.rt.clock.now())) return;
    const outcome = await this.rt.store.deleteObject(bucket.name, version.key, {
      versionId: version.versionId,
      markerVersionId: '',
      now: 0,
      owner: bucket.account,
      expectSeq: version.seq,
    });
    if (outcome.kind !== 'removed') return;
    this.rt.dropBlobs(outcome.orphans);
    notify(this.rt, ctx, bucket, 'LifecycleExpiration:Delete', { key: version.key, versionId: version.versionId, seq: outcome.seq });
  }

  private async sweepUploads(bucket: BucketRecord, rules: LifecycleRule[], now: number): Promise<void> {
    for (const upload of await this.rt.store.listUploads(bucket.name)) {
      const abort = abortOf(rules, upload);
      if (!abort || now < abort.at) continue;
      const result = await this.rt.store.abortUpload(bucket.name, upload.uploadId);
      if (result) this.rt.dropBlobs(result.orphans);
    }
  }
}

/** Lifecycle actions are S3's own: the events name S3 as the requester. */
function lifecycleContext(bucket: BucketRecord): CallContext {
  return { account: bucket.account, region: bucket.region, requestId: randomUUID(), accessKeyId: 's3.amazonaws.com', host: '', protocol: '' };
}
