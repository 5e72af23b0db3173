import { internalError, isAwsError, unknownOperation } from './errors.js';
import type { Dispatcher } from './bus/bus.js';
import type { Service } from './service.js';
import type { Logger } from './logger.js';

/**
 * Operations the admin API sends over the bus. Their names start with `_`, which no AWS operation does,
 * so the wire can never reach them (the gateway only forwards operations the service's model knows).
 */
export const ADMIN_RESET = '_reset';
export const ADMIN_DUMP = '_dump';

/** Turns a Service into what the bus serves: operation lookup, admin verbs, and no stack traces on the wire. */
export function serviceDispatcher(service: Service, logger: Logger): Dispatcher {
  return async (operation, input, ctx) => {
    if (operation === ADMIN_RESET) return service.reset((input as { account?: string }).account);
    if (operation === ADMIN_DUMP) return service.dump();
    const handler = service.operations[operation];
    if (!handler) throw unknownOperation(operation);
    try {
      return await handler(input, ctx);
    } catch (e) {
      if (isAwsError(e)) throw e;
      logger.error({ err: e, service: service.name, operation, requestId: ctx.requestId }, 'handler failed');
      throw internalError();
    }
  };
}

