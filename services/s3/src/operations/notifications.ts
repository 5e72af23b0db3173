import { randomBytes } from 'node:crypto';
import { AwsError, type CallContext } from '@stratus/shared';
import { invalidArgument, malformedXml } from '../errors.js';
import { EVENT_TYPES, parseSqsArn, sqsContext, type NotificationConfiguration, type TargetConfiguration } from '../notifications.js';
import { requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';

interface PutNotificationInput {
  Bucket: string;
  NotificationConfiguration?: NotificationConfiguration;
  SkipDestinationValidation?: boolean;
  ExpectedBucketOwner?: string;
}

const ARN = /^arn:[^:]+:([^:]+):([^:]*):([^:]*):(.+)$/;

/** Checks one target configuration and returns it as S3 stores it (rule names normalised, an Id given). */
function normalise(config: TargetConfiguration, arnMember: 'QueueArn' | 'TopicArn' | 'LambdaFunctionArn', argumentName: string, service: string): TargetConfiguration {
  const arn = config[arnMember];
  if (typeof arn !== 'string' || !arn) throw malformedXml();
  const m = ARN.exec(arn);
  if (!m || m[1] !== service) throw invalidArgument('The ARN could not be parsed', argumentName, arn);
  if (!Array.isArray(config.Events) || config.Events.length === 0) throw malformedXml();
  for (const event of config.Events) {
    if (!EVENT_TYPES.has(event)) throw invalidArgument('The event is not supported for notifications', 'Event', event);
  }
  const out: TargetConfiguration = { Id: config.Id || randomBytes(24).toString('base64url'), [arnMember]: arn, Events: [...config.Events] };
  const rules = config.Filter?.Key?.FilterRules;
  if (config.Filter) {
    if (!Array.isArray(rules)) throw malformedXml();
    const normalised = rules.map((rule) => {
      if (typeof rule?.Name !== 'string' || typeof rule?.Value !== 'string') throw malformedXml();
      const name = rule.Name.toLowerCase();
      if (name !== 'prefix' && name !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', rule.Name);
      return { Name: name === 'prefix' ? 'Prefix' : 'Suffix', Value: rule.Value };
    });
    out.Filter = { Key: { FilterRules: normalised } };
  }
  return out;
}

export function notificationOperations(rt: S3Runtime): Operations {
  /** The queues among `arns` that SQS does not know, each with S3's reason. */
  async function missingQueues(arns: readonly string[], ctx: CallContext): Promise<string[]> {
    const missing: string[] = [];
    for (const arn of arns) {
      const queue = parseSqsArn(arn)!;
      try {
        await rt.bus.call('sqs', 'GetQueueUrl', { QueueName: queue.name, QueueOwnerAWSAccountId: queue.account }, sqsContext(ctx, queue));
      } catch {
        missing.push(arn);
      }
    }
    return missing;
  }

  return {
    async PutBucketNotificationConfiguration(input: PutNotificationInput, ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const given = input.NotificationConfiguration ?? {};
      const config: NotificationConfiguration = {};
      if (given.QueueConfigurations?.length) {
        config.QueueConfigurations = given.QueueConfigurations.map((c) => normalise(c, 'QueueArn', 'Queue', 'sqs'));
      }
      if (given.TopicConfigurations?.length) {
        config.TopicConfigurations = given.TopicConfigurations.map((c) => normalise(c, 'TopicArn', 'Topic', 'sns'));
      }
      if (given.LambdaFunctionConfigurations?.length) {
        config.LambdaFunctionConfigurations = given.LambdaFunctionConfigurations.map((c) => normalise(c, 'LambdaFunctionArn', 'CloudFunction', 'lambda'));
      }
      if (given.EventBridgeConfiguration) config.EventBridgeConfiguration = {};

      const queues = [...new Set((config.QueueConfigurations ?? []).map((c) => c.QueueArn!))];
      if (!input.SkipDestinationValidation && queues.length > 0) {
        const missing = await missingQueues(queues, ctx);
        if (missing.length > 0) {
          const fields: Record<string, string> = {};
          missing.forEach((arn, i) => {
            fields[`ArgumentName${i + 1}`] = arn;
            fields[`ArgumentValue${i + 1}`] = 'The destination queue does not exist';
          });
          throw new AwsError('InvalidArgument', 'Unable to validate the following destination configurations', 400, { fields });
        }
      }
      const empty = Object.keys(config).length === 0;
      const updated = await rt.store.updateBucket(bucket.name, { config: { notification: empty ? null : config } });
      if (!input.SkipDestinationValidation && queues.length > 0) rt.notifier.sendTestEvent(updated, queues, ctx, rt.clock.now());
      return {};
    },

    async GetBucketNotificationConfiguration(input: { Bucket: string; ExpectedBucketOwner?: string }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      return (bucket.config.notification as NotificationConfiguration | undefined) ?? {};
    },
  };
}

