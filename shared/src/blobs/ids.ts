import { randomUUID } from 'node:crypto';

/**
 * Blob ids are random, never derived from object keys, and checked against this shape before they
 * become paths: whatever a key contains (`..`, `/`, unicode, 1024 bytes) it cannot reach the disk.
 * The first letter says how the blob is stored: `i` inline in its BlobRef, `b` a file of bytes, `c` a
 * concatenation of parts.
 */
export type BlobKind = 'i' | 'b' | 'c';

const ID = /^[ibc][0-9a-f]{32}$/;

export function newBlobId(kind: BlobKind): string {
  return kind + randomUUID().replaceAll('-', '');
}

export function isBlobId(id: string): boolean {
  return ID.test(id);
}

export function kindOf(id: string): BlobKind {
  return id[0] as BlobKind;
}

/** The subdirectory a blob lives in: 256 of them, so no directory grows past what file systems like. */
export function shardOf(id: string): string {
  return id.slice(1, 3);
}
