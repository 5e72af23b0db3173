import { AwsError } from '@stratus/shared';

// A queue URL path. Query-protocol clients (JS SDK v2, boto before 2024) post to it instead of naming QueueUrl.
const QUEUE_PATH = /^\/(\d{12})\/([^/]+)$/;
/** Actions that address no queue; AWS refuses them on a queue URL (GetQueueUrl is allowed there). */
const QUEUELESS_ACTIONS = new Set(['CreateQueue', 'ListQueues']);

/**
 * SQS query requests sent to a queue URL: the path supplies QueueUrl when the parameters don't, and
 * actions that address no queue are refused as AWS refuses them.
 */
export function applySqsQueuePath(operation: string, input: Record<string, unknown>, path: string, host: string): void {
  if (!QUEUE_PATH.test(path)) return;
  if (QUEUELESS_ACTIONS.has(operation)) throw new AwsError('InvalidAction', `The action ${operation} is not valid for this endpoint.`, 400);
  if (input.QueueUrl === undefined && operation !== 'GetQueueUrl') input.QueueUrl = `http://${host}${path}`;
}
