import { test } from 'node:test';
import { pythonCases } from '../src/python.js';

/**
 * DynamoDB and DynamoDB Streams through boto3: the client, the resource layer with
 * boto3.dynamodb.conditions and batch_writer, waiters, paginators (botocore checks every answer's
 * X-Amz-Crc32). One python process runs every case of tests/py/dynamodb_boto3.py against an embedded
 * server; each case it reports becomes a subtest here, failing with the python assertion.
 */
test('DynamoDB through boto3', (t) => pythonCases(t, 'dynamodb_boto3.py', 10));
