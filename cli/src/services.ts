import type { ServiceFactory } from '@stratus/shared';

/** Every service Stratus can run, loaded only when a process runs it. */
export const SERVICE_FACTORIES: Record<string, ServiceFactory> = {
  dynamodb: async (runtime) => (await import('@stratus/dynamodb')).createDynamoDbService(runtime),
  dynamodbstreams: async (runtime) => (await import('@stratus/dynamodb')).createDynamoDbStreamsService(runtime),
  s3: async (runtime) => (await import('@stratus/s3')).createS3Service(runtime),
  sqs: async (runtime) => (await import('@stratus/sqs')).createSqsService(runtime),
  sts: async () => (await import('@stratus/sts')).createStsService(),
};
