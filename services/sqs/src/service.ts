import type { CallContext, Handler, Service, ServiceRuntime } from '@stratus/shared';
import { queueDoesNotExist } from './errors.js';
import { LongPollHub, publishAvailable } from './long-poll.js';
import { MoveTaskRunner } from './move-task-runner.js';
import { batchOperations } from './operations/batches.js';
import { messageOperations } from './operations/messages.js';
import { moveTaskOperations } from './operations/move-tasks.js';
import { permissionOperations } from './operations/permissions.js';
import { queueOperations } from './operations/queues.js';
import type { SqsDeps } from './operations/support.js';
import { tagOperations } from './operations/tags.js';
import { QueueMissingError, type SqsStore } from './store/types.js';

/** The SQS service over a store: its operation table and the hooks the runtime calls. */
export async function createServiceOnStore(runtime: ServiceRuntime, store: SqsStore): Promise<Service> {
  const { bus, clock } = runtime;
  const polls = new LongPollHub(bus, clock);
  const tasks = new MoveTaskRunner(store, clock, (queue) => publishAvailable(bus, queue), runtime.logger);
  const deps: SqsDeps = { store, clock, bus, polls, tasks };

  const table: Record<string, Handler> = {
    ...queueOperations(deps),
    ...messageOperations(deps),
    ...batchOperations(deps),
    ...tagOperations(deps),
    ...permissionOperations(deps),
    ...moveTaskOperations(deps),
  };
  const operations: Record<string, Handler> = {};
  for (const [name, handler] of Object.entries(table)) operations[name] = queueMayVanish(handler);

  await tasks.resume();

  return {
    name: 'sqs',
    operations,
    reset: (account?: string) => store.reset(account),
    dump: () => store.dump(clock.now()),
    async close() {
      polls.close();
      tasks.close();
      await store.close();
    },
  };
}

/** A queue deleted between a handler's lookup and its store call is still QueueDoesNotExist. */
function queueMayVanish(handler: Handler): Handler {
  return async (input: unknown, ctx: CallContext) => {
    try {
      return await handler(input, ctx);
    } catch (e) {
      if (e instanceof QueueMissingError) throw queueDoesNotExist(ctx.protocol);
      throw e;
    }
  };
}
