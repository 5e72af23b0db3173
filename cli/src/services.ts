import type { ServiceFactory } from '@stratus/shared';

/** Every service Stratus can run, loaded only when a process runs it. */
export const SERVICE_FACTORIES: Record<string, ServiceFactory> = {
  sqs: async (runtime) => (await import('@stratus/sqs')).createSqsService(runtime),
  sts: async () => (await import('@stratus/sts')).createStsService(),
};
