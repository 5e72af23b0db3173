import { test } from 'node:test';
import { pythonCases } from '../src/python.js';

/**
 * SQS and STS through boto3 (botocore >= 1.34.90 speaks SQS's JSON protocol; STS is query). One python
 * process runs every case of tests/py/sqs_boto3.py against an embedded server (a process per case would
 * cost a second each); each case it reports becomes a subtest here, failing with the python assertion.
 */
test('SQS and STS through boto3', (t) => pythonCases(t, 'sqs_boto3.py', 16));
