import { loadModel, type ServiceModel } from '@stratus/shared';

/** How one AWS service speaks on the wire: its model and the protocols it accepts. */
export interface ServiceWire {
  /** Bus name of the service. */
  name: string;
  /** SigV4 signing names that route here. */
  signingNames: string[];
  model: ServiceModel;
  /** AWS JSON: `X-Amz-Target: <targetPrefix>.<Operation>`. */
  json?: { version: '1.0' | '1.1'; targetPrefix: string; errorNamespace: string };
  /** Query: form-encoded `Action=<Operation>`, XML answers. */
  query?: { xmlNamespace: string };
  /** Operations that may legitimately take long (long polls); the rest fail fast if a replica dies. */
  slowOperations?: ReadonlySet<string>;
}

/** How long the gateway waits for a service's answer before reporting it unavailable (SDKs retry 503s). */
export const CALL_TIMEOUT_MS = 10_000;
/** SQS long polls last up to 20 s. */
export const SLOW_CALL_TIMEOUT_MS = 35_000;

/** Every service the gateway can route to. */
export function serviceWires(): ServiceWire[] {
  const sqs = loadModel('sqs-2012-11-05');
  const sts = loadModel('sts-2011-06-15');
  const dynamodb = loadModel('dynamodb-2012-08-10');
  const dynamodbStreams = loadModel('streams.dynamodb-2012-08-10');
  return [
    {
      name: 'sqs',
      signingNames: ['sqs'],
      model: sqs,
      json: { version: '1.0', targetPrefix: 'AmazonSQS', errorNamespace: 'com.amazonaws.sqs' },
      query: { xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/' },
      slowOperations: new Set(['ReceiveMessage']),
    },
    {
      name: 'sts',
      signingNames: ['sts'],
      model: sts,
      query: { xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
    },
    {
      name: 'dynamodb',
      signingNames: ['dynamodb'],
      model: dynamodb,
      json: { version: '1.0', targetPrefix: 'DynamoDB_20120810', errorNamespace: 'com.amazonaws.dynamodb.v20120810' },
    },
    {
      // Signed with the same name as DynamoDB ('dynamodb'); requests find it by their X-Amz-Target.
      name: 'dynamodbstreams',
      signingNames: [],
      model: dynamodbStreams,
      json: { version: '1.0', targetPrefix: 'DynamoDBStreams_20120810', errorNamespace: 'com.amazonaws.dynamodb.v20120810' },
    },
  ];
}
