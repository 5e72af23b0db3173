import { test } from 'node:test';
import { pythonCases } from '../src/python.js';

/**
 * S3 through boto3: the transfer manager (upload_file / download_file in parts), presigned URLs and POSTs,
 * paginators, the resource API, versioning, aws-chunked uploads with CRC32 trailers, and errors as
 * botocore surfaces them. One python process runs every case of tests/py/s3_boto3.py against an embedded
 * server (a process per case would cost a second each); each case it reports becomes a subtest here,
 * failing with the python assertion.
 */
test('S3 through boto3', (t) => pythonCases(t, 's3_boto3.py', 10));
