import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbedded, type RunningStratus } from '@stratus/cli';
import { aws, awsJson } from '../src/aws-cli.js';
import { uniqueName } from '../src/clients.js';

/**
 * DynamoDB through the AWS CLI (v1 on this machine, botocore inside), its output parsed as JSON. Each
 * `aws` process costs about half a second, so the steps are few; independent ones run side by side.
 */

describe('DynamoDB through the AWS CLI', () => {
  let stratus: RunningStratus;
  let endpoint: string;
  before(async () => {
    stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
    endpoint = stratus.endpoint;
  });
  after(() => stratus.close());

  it('creates a table, puts, gets, queries and scans items', async () => {
    const table = uniqueName('cli');
    const created = await awsJson(endpoint, [
      'dynamodb', 'create-table', '--table-name', table,
      '--attribute-definitions', 'AttributeName=pk,AttributeType=S', 'AttributeName=sk,AttributeType=N',
      '--key-schema', 'AttributeName=pk,KeyType=HASH', 'AttributeName=sk,KeyType=RANGE',
      '--billing-mode', 'PAY_PER_REQUEST',
    ]);
    assert.equal(created.TableDescription.TableName, table);
    assert.equal(created.TableDescription.TableStatus, 'CREATING');
    // `wait table-exists` polls DescribeTable and prints nothing.
    const waited = await aws(endpoint, ['dynamodb', 'wait', 'table-exists', '--table-name', table]);
    assert.equal(waited.code, 0, waited.stderr);

    await Promise.all(
      [1, 2, 3].map((sk) =>
        awsJson(endpoint, ['dynamodb', 'put-item', '--table-name', table, '--item', JSON.stringify({ pk: { S: 'cli' }, sk: { N: String(sk) }, label: { S: `item ${sk} ✓` } })]),
      ),
    );
    const got = await awsJson(endpoint, ['dynamodb', 'get-item', '--table-name', table, '--key', JSON.stringify({ pk: { S: 'cli' }, sk: { N: '2' } }), '--consistent-read']);
    assert.deepEqual(got.Item, { pk: { S: 'cli' }, sk: { N: '2' }, label: { S: 'item 2 ✓' } });

    const [queried, scanned] = await Promise.all([
      awsJson(endpoint, [
        'dynamodb', 'query', '--table-name', table,
        '--key-condition-expression', 'pk = :p AND sk >= :s',
        '--expression-attribute-values', JSON.stringify({ ':p': { S: 'cli' }, ':s': { N: '2' } }),
        '--no-scan-index-forward',
      ]),
      // --page-size makes the CLI send Limit=1 and follow LastEvaluatedKey; it prints the merged result.
      awsJson(endpoint, ['dynamodb', 'scan', '--table-name', table, '--page-size', '1', '--projection-expression', 'sk']),
    ]);
    assert.deepEqual(queried.Items.map((i: any) => i.sk.N), ['3', '2']);
    assert.equal(queried.Count, 2);
    assert.deepEqual(scanned.Items.map((i: any) => i.sk.N).sort(), ['1', '2', '3']);
    assert.equal(scanned.Count, 3);

    const described = await awsJson(endpoint, ['dynamodb', 'describe-table', '--table-name', table]);
    assert.equal(described.Table.TableStatus, 'ACTIVE');
    assert.equal(described.Table.ItemCount, 3);
  });

  it('fails with the CLI error exit code and the DynamoDB error text', async () => {
    const [missing, badKey] = await Promise.all([
      aws(endpoint, ['dynamodb', 'get-item', '--table-name', uniqueName('nope'), '--key', '{"pk":{"S":"x"}}']),
      aws(endpoint, ['dynamodb', 'query', '--table-name', uniqueName('nope'), '--key-condition-expression', 'pk = :p']),
    ]);
    // CLI v1 exits 255 for a service error, v2 254.
    assert.ok(missing.code === 255 || missing.code === 254, `exit code ${missing.code}`);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /An error occurred \(ResourceNotFoundException\) when calling the GetItem operation( \(reached max retries: 0\))?: Requested resource not found/);
    assert.ok(badKey.code === 255 || badKey.code === 254, `exit code ${badKey.code}`);
    assert.match(
      badKey.stderr,
      /An error occurred \(ValidationException\) when calling the Query operation( \(reached max retries: 0\))?: Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :p/,
    );
  });
});
