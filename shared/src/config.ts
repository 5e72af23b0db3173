import { join } from 'node:path';

/** Every setting comes from the environment; the README's configuration table lists them. */
export interface StratusConfig {
  port: number;
  host: string;
  /** Embedded mode keeps state here when set, so it survives restarts. */
  dataDir?: string;
  /**
   * S3 object bodies (the blob store): STRATUS_BLOB_DIR, else `<dataDir>/blobs`; undefined means a
   * temporary directory made at startup. Distributed mode needs a directory the gateway and every S3
   * replica see.
   */
  blobDir?: string;
  /** Distributed mode: shared state. */
  redisUrl?: string;
  /** Distributed mode: the bus. */
  natsUrl?: string;
  /** Which services this process runs (embedded) or the gateway routes to; all when absent. */
  services: string[];
  logLevel: string;
  /**
   * S3: what a new bucket has unless the request says otherwise. `legacy` (the default; S3 before April
   * 2023): ObjectWriter ownership and no public access block, so ACLs and public policies are taken, as code
   * and test suites written for buckets that take ACLs expect. `current` (S3 since April 2023):
   * BucketOwnerEnforced ownership (no ACLs) and Block Public Access on.
   */
  s3BucketDefaults?: 'current' | 'legacy';
}

export const ALL_SERVICES = ['s3', 'sqs', 'sts', 'dynamodb', 'dynamodbstreams'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StratusConfig {
  const port = Number(env.STRATUS_PORT ?? 4566);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`STRATUS_PORT must be a port number, got ${env.STRATUS_PORT}`);
  const services = env.STRATUS_SERVICES
    ? env.STRATUS_SERVICES.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)
    : [...ALL_SERVICES];
  for (const s of services) {
    if (!(ALL_SERVICES as readonly string[]).includes(s)) throw new Error(`STRATUS_SERVICES: unknown service "${s}" (known: ${ALL_SERVICES.join(', ')})`);
  }
  const s3BucketDefaults = env.STRATUS_S3_BUCKET_DEFAULTS || 'legacy';
  if (s3BucketDefaults !== 'current' && s3BucketDefaults !== 'legacy') {
    throw new Error(`STRATUS_S3_BUCKET_DEFAULTS must be current or legacy, got ${s3BucketDefaults}`);
  }
  return {
    port,
    host: env.STRATUS_HOST ?? '127.0.0.1',
    dataDir: env.STRATUS_DATA_DIR || undefined,
    blobDir: env.STRATUS_BLOB_DIR || (env.STRATUS_DATA_DIR ? join(env.STRATUS_DATA_DIR, 'blobs') : undefined),
    redisUrl: env.STRATUS_REDIS_URL || undefined,
    natsUrl: env.STRATUS_NATS_URL || undefined,
    services,
    logLevel: env.STRATUS_LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    s3BucketDefaults,
  };
}
