import type { Handler, Service } from '@stratus/shared';
import { getCallerIdentity } from './operations/identity.js';

/** STS's operation table. STS keeps no state, so reset and dump have nothing to do. */
export function createStsService(): Service {
  const operations: Record<string, Handler> = {
    GetCallerIdentity: getCallerIdentity,
  };
  return {
    name: 'sts',
    operations,
    reset: async () => undefined,
    dump: async () => ({}),
    close: async () => undefined,
  };
}
