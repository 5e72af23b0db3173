import { queueKey } from './model.js';
import type { QueueId, ReceiptRef } from './store/types.js';

// Receipt handles are opaque to clients: base64url of "<version>|<queue key>|<message id>|<receipt>".
// Naming the queue lets a handle from another queue be told apart from a stale one.
const RECEIPT_VERSION = 'r1';

export function encodeReceiptHandle(queue: QueueId, ref: ReceiptRef): string {
  return Buffer.from(`${RECEIPT_VERSION}|${queueKey(queue)}|${ref.messageId}|${ref.receipt}`, 'utf8').toString('base64url');
}

/** The message a handle names in `queue`; undefined when it is not a handle of that queue. */
export function decodeReceiptHandle(queue: QueueId, handle: string): ReceiptRef | undefined {
  const parts = Buffer.from(handle, 'base64url').toString('utf8').split('|');
  if (parts.length !== 4 || parts[0] !== RECEIPT_VERSION || parts[1] !== queueKey(queue)) return undefined;
  const receipt = Number(parts[3]);
  if (!parts[2] || !Number.isSafeInteger(receipt) || receipt < 1) return undefined;
  return { messageId: parts[2], receipt };
}

/** Move task handles: base64 of `{"taskId":...,"sourceArn":...}`, the form AWS clients have seen. */
export function encodeTaskHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64');
}

export function decodeTaskHandle(handle: string): { taskId: string; sourceArn: string } | undefined {
  try {
    const doc = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { taskId?: unknown; sourceArn?: unknown };
    if (typeof doc.taskId === 'string' && typeof doc.sourceArn === 'string') return { taskId: doc.taskId, sourceArn: doc.sourceArn };
  } catch {
    // not base64 JSON: not a task handle
  }
  return undefined;
}
