import { randomUUID } from 'node:crypto';
import type { Handler } from '@stratus/shared';
import { invalidParameter, invalidParameterValue, resourceNotFound } from '../errors.js';
import { decodeTaskHandle, encodeTaskHandle } from '../handles.js';
import { parseQueueArn } from '../model.js';
import { boundedInteger, requireString } from '../params.js';
import type { MoveTaskRecord, QueueId, QueueRecord } from '../store/types.js';
import type { SqsDeps } from './support.js';

interface StartInput {
  SourceArn?: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
}
interface ListInput {
  SourceArn?: string;
  MaxResults?: number;
}

/** StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask: redrive out of dead-letter queues. */
export function moveTaskOperations(deps: SqsDeps): Record<string, Handler> {
  const { store, clock, tasks } = deps;

  /** The queue an ARN parameter names: InvalidParameterValue when it is no ARN, ResourceNotFound when no queue. */
  const queueOf = async (parameter: string, arn: string): Promise<QueueRecord> => {
    const id = parseArn(parameter, arn);
    const queue = await store.getQueue(id);
    if (!queue) throw resourceNotFound(`The resource that you specified for the ${parameter} parameter doesn't exist.`);
    return queue;
  };

  return {
    async StartMessageMoveTask(input: StartInput) {
      const sourceArn = requireString('SourceArn', input.SourceArn);
      const source = await queueOf('SourceArn', sourceArn);
      const sources = await store.listDeadLetterSourceQueues(source.id.account, source.id.region, source.arn);
      if (sources.length === 0) throw invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
      const destinationArn = input.DestinationArn || undefined;
      if (destinationArn) {
        const destination = await queueOf('DestinationArn', destinationArn);
        if (destination.fifo !== source.fifo) {
          throw invalidParameter('DestinationArn', destinationArn, 'The destination queue must be the same type of queue as the source queue.');
        }
      }
      const maxPerSecond = boundedInteger('MaxNumberOfMessagesPerSecond', input.MaxNumberOfMessagesPerSecond, 1, 500, 'Must be between 1 and 500.');
      const taskId = randomUUID();
      const started = await store.startMoveTask({
        taskId,
        account: source.id.account,
        region: source.id.region,
        sourceArn: source.arn,
        destinationArn,
        maxPerSecond,
        startedAt: clock.now(),
      });
      if (started === 'alreadyRunning') {
        throw invalidParameterValue('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
      }
      await tasks.advance(taskId);
      return { TaskHandle: encodeTaskHandle(taskId, source.arn) };
    },

    async ListMessageMoveTasks(input: ListInput) {
      const source = await queueOf('SourceArn', requireString('SourceArn', input.SourceArn));
      const max = boundedInteger('MaxResults', input.MaxResults, 1, 10, 'Must be between 1 and 10, if provided.') ?? 1;
      // Bring running tasks up to the clock first, whichever replica drives them.
      for (const t of await store.listMoveTasks(source.arn)) if (t.status === 'RUNNING') await tasks.advance(t.taskId);
      const listed = await store.listMoveTasks(source.arn);
      return { Results: listed.slice(0, max).map(resultEntry) };
    },

    async CancelMessageMoveTask(input: { TaskHandle?: string }) {
      const decoded = decodeTaskHandle(requireString('TaskHandle', input.TaskHandle));
      if (!decoded || !parseQueueArn(decoded.sourceArn)) throw invalidParameterValue('Value for parameter TaskHandle is invalid.');
      await queueOf('SourceArn', decoded.sourceArn);
      const known = await store.getMoveTask(decoded.taskId);
      if (!known || known.sourceArn !== decoded.sourceArn) throw resourceNotFound('Task does not exist.');
      // Count what it moved up to now, then stop it.
      const current = await tasks.advance(known.taskId);
      const task = current?.status === 'RUNNING' ? await store.cancelMoveTask(known.taskId) : current;
      tasks.forget(known.taskId);
      if (task?.status !== 'CANCELLED' || current?.status !== 'RUNNING') {
        throw invalidParameterValue('Only active (non-completed) message movement tasks can be cancelled.');
      }
      return { ApproximateNumberOfMessagesMoved: task.moved };
    },
  };
}

function parseArn(parameter: string, arn: string): QueueId {
  const id = parseQueueArn(arn);
  if (!id) {
    throw invalidParameterValue(`You must use this format to specify the ${parameter}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>`);
  }
  return id;
}

/** A task as ListMessageMoveTasks reports it: the handle only while it runs. */
function resultEntry(task: MoveTaskRecord): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    SourceArn: task.sourceArn,
    Status: task.status,
    StartedTimestamp: task.startedAt,
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
  };
  if (task.status === 'RUNNING') entry.TaskHandle = encodeTaskHandle(task.taskId, task.sourceArn);
  if (task.destinationArn) entry.DestinationArn = task.destinationArn;
  if (task.maxPerSecond !== undefined) entry.MaxNumberOfMessagesPerSecond = task.maxPerSecond;
  if (task.failureReason) entry.FailureReason = task.failureReason;
  return entry;
}
