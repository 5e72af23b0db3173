import type { CallContext, Handler } from '@stratus/shared';
import { invalidParameter, missingParameter } from '../errors.js';
import { partitionOf } from '../model.js';
import { requireString } from '../params.js';
import type { QueueRecord } from '../store/types.js';
import { nowSeconds, requireQueue, type SqsDeps } from './support.js';

interface AddPermissionInput {
  QueueUrl?: string;
  Label?: string;
  AWSAccountIds?: string[];
  Actions?: string[];
}

/** Actions a queue policy statement made by AddPermission may grant. */
const SHAREABLE_ACTIONS = new Set([
  '*',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'ListQueueTags',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
]);

interface Statement {
  Sid?: string;
  [key: string]: unknown;
}
interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: Statement[];
}

/** AddPermission and RemovePermission: statements in the queue's Policy attribute, one per label. */
export function permissionOperations(deps: SqsDeps): Record<string, Handler> {
  const { store, clock } = deps;
  const save = async (queue: QueueRecord, policy: PolicyDocument) => {
    const value = policy.Statement && policy.Statement.length > 0 ? JSON.stringify(policy) : null;
    await store.setAttributes(queue.id, { Policy: value }, nowSeconds(clock));
  };

  return {
    async AddPermission(input: AddPermissionInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const label = requireString('Label', input.Label);
      const accounts = input.AWSAccountIds;
      const actions = input.Actions;
      if (!accounts || accounts.length === 0) throw missingParameter('AWSAccountIds');
      if (!actions || actions.length === 0) throw missingParameter('Actions');
      for (const action of actions) {
        if (!SHAREABLE_ACTIONS.has(action)) {
          throw invalidParameter('ActionName', `SQS:${action}`, 'Please refer to the appropriate WSDL for a list of valid actions. ');
        }
      }
      const policy = currentPolicy(queue);
      if (policy.Statement!.some((s) => s.Sid === label)) throw invalidParameter('Label', label, 'Already exists.');
      const principals = accounts.map((a) => `arn:${partitionOf(queue.id.region)}:iam::${a}:root`);
      const granted = actions.map((a) => `SQS:${a}`);
      policy.Statement!.push({
        Sid: label,
        Effect: 'Allow',
        Principal: { AWS: principals.length === 1 ? principals[0] : principals },
        Action: granted.length === 1 ? granted[0] : granted,
        Resource: queue.arn,
      });
      await save(queue, policy);
      return {};
    },

    async RemovePermission(input: { QueueUrl?: string; Label?: string }, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const label = requireString('Label', input.Label);
      const policy = currentPolicy(queue);
      const kept = policy.Statement!.filter((s) => s.Sid !== label);
      if (kept.length === policy.Statement!.length) throw invalidParameter('Label', label, "can't find label.");
      await save(queue, { ...policy, Statement: kept });
      return {};
    },
  };
}

function currentPolicy(queue: QueueRecord): PolicyDocument {
  const raw = queue.attributes.Policy;
  const policy: PolicyDocument = raw ? (JSON.parse(raw) as PolicyDocument) : { Version: '2008-10-17', Id: `${queue.arn}/SQSDefaultPolicy` };
  const statements: unknown = policy.Statement;
  policy.Statement = Array.isArray(statements) ? statements : statements ? [statements as Statement] : [];
  return policy;
}
