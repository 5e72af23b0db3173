import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { startEmbedded, type RunningStratus } from '@stratus/cli';
import { sqsClient, uniqueName } from '../src/clients.js';
import { aws, awsJson } from '../src/aws-cli.js';

/**
 * SQS and STS through the AWS CLI (v1 on this machine, which bundles botocore and so speaks SQS's JSON
 * protocol), its output parsed as JSON. Each `aws` process costs about half a second, so the checks are
 * few and the independent ones run side by side.
 *
 * Every command gets `--endpoint-url`: CLI v1 ignores AWS_ENDPOINT_URL for `aws sqs` in the classic
 * regions (awscli/customizations/overridesslcommonname.py sets the endpoint to
 * https://queue.amazonaws.com unless --endpoint-url is given), so that is how its users reach Stratus.
 */

// The tests share nothing but the server, so their processes run side by side.
describe('SQS and STS through the AWS CLI', { concurrency: true }, () => {
  let stratus: RunningStratus;
  let endpoint: string;
  before(async () => {
    stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
    endpoint = stratus.endpoint;
  });
  after(() => stratus.close());

  it('creates a queue, sends, receives and deletes a message, and reads the queue attributes', async () => {
    const name = uniqueName('cli');
    const created = await awsJson(endpoint, ['sqs', 'create-queue', '--queue-name', name, '--attributes', 'VisibilityTimeout=40,DelaySeconds=0', '--tags', 'team=cli']);
    assert.deepEqual(created, { QueueUrl: `${endpoint}/000000000000/${name}` });
    const url = created.QueueUrl as string;

    const body = 'from the CLI ✓ {"json": true}';
    const sent = await awsJson(endpoint, [
      'sqs', 'send-message', '--queue-url', url, '--message-body', body,
      '--message-attributes', JSON.stringify({ n: { DataType: 'Number', StringValue: '7' }, s: { DataType: 'String', StringValue: 'x' } }),
    ]);
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update(body).digest('hex'));
    assert.match(sent.MessageId, /^[0-9a-f-]{36}$/);
    assert.match(sent.MD5OfMessageAttributes, /^[0-9a-f]{32}$/);

    const received = await awsJson(endpoint, [
      'sqs', 'receive-message', '--queue-url', url, '--message-attribute-names', 'All', '--message-system-attribute-names', 'All', '--visibility-timeout', '60',
    ]);
    assert.equal(received.Messages.length, 1);
    const m = received.Messages[0];
    assert.equal(m.Body, body);
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.MD5OfBody, sent.MD5OfMessageBody);
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.deepEqual(m.MessageAttributes, { n: { DataType: 'Number', StringValue: '7' }, s: { DataType: 'String', StringValue: 'x' } });
    assert.equal(m.Attributes.ApproximateReceiveCount, '1');

    const attrsInFlight = await awsJson(endpoint, ['sqs', 'get-queue-attributes', '--queue-url', url, '--attribute-names', 'All']);
    assert.equal(attrsInFlight.Attributes.VisibilityTimeout, '40');
    assert.equal(attrsInFlight.Attributes.ApproximateNumberOfMessagesNotVisible, '1');
    assert.equal(attrsInFlight.Attributes.QueueArn, `arn:aws:sqs:us-east-1:000000000000:${name}`);

    // delete-message prints nothing and exits 0.
    const deleted = await aws(endpoint, ['sqs', 'delete-message', '--queue-url', url, '--receipt-handle', m.ReceiptHandle]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout.trim(), '');

    const drained = await sqsClient(endpoint).send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    assert.deepEqual(drained.Attributes, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('lists queues by prefix, following NextToken pages', async () => {
    const prefix = uniqueName('clilist');
    const sdk = sqsClient(endpoint);
    const urls: string[] = [];
    for (let i = 0; i < 3; i++) urls.push((await sdk.send(new CreateQueueCommand({ QueueName: `${prefix}-${i}` }))).QueueUrl!);
    await sdk.send(new CreateQueueCommand({ QueueName: uniqueName('clielse') }));
    // --page-size 2 makes the CLI send MaxResults=2 and follow the NextToken; it prints the merged list.
    const paged = await awsJson(endpoint, ['sqs', 'list-queues', '--queue-name-prefix', prefix, '--page-size', '2']);
    assert.deepEqual([...paged.QueueUrls].sort(), urls);
  });

  it('reports the caller identity of a 12-digit access key', async () => {
    const mine = await awsJson(endpoint, ['sts', 'get-caller-identity'], '123456789012');
    assert.equal(mine.Account, '123456789012');
    assert.equal(mine.Arn, 'arn:aws:iam::123456789012:root');
    assert.ok(mine.UserId);
  });

  it('fails with the CLI error exit code and the AWS error text', async () => {
    const [missing, badAttr] = await Promise.all([
      aws(endpoint, ['sqs', 'get-queue-url', '--queue-name', 'no-such-queue-anywhere']),
      aws(endpoint, ['sqs', 'create-queue', '--queue-name', uniqueName('clibad'), '--attributes', 'VisibilityTimeout=50000']),
    ]);
    // CLI v1 exits 255 for a service error, v2 254.
    assert.ok(missing.code === 255 || missing.code === 254, `exit code ${missing.code}`);
    assert.equal(missing.stdout, '');
    assert.match(
      missing.stderr,
      // (With AWS_MAX_ATTEMPTS set, botocore adds "(reached max retries: 0)" after the operation name.)
      /An error occurred \(AWS\.SimpleQueueService\.NonExistentQueue\) when calling the GetQueueUrl operation( \(reached max retries: 0\))?: The specified queue does not exist\./,
    );
    assert.ok(badAttr.code === 255 || badAttr.code === 254, `exit code ${badAttr.code}`);
    assert.match(badAttr.stderr, /An error occurred \(InvalidAttributeValue\) when calling the CreateQueue operation( \(reached max retries: 0\))?: Invalid value for the parameter VisibilityTimeout/);
  });
});
