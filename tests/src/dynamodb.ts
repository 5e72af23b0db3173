import { createHash, createHmac } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { credentialsFor } from './clients.js';

export function dynamodbClient(endpoint: string, account?: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: credentialsFor(account), maxAttempts: 1 });
}

/** The DocumentClient as apps configure it: native JS values, empty values dropped, big numbers kept exact. */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
    unmarshallOptions: { wrapNumbers: true },
  });
}

/**
 * A DynamoDB Streams call (the JS SDK's streams client is not a dependency here): an AWS JSON 1.0
 * request signed with SigV4 for `dynamodb`, as every SDK signs Streams requests.
 */
export async function streamsCall(endpoint: string, operation: string, input: unknown, account?: string): Promise<any> {
  const body = JSON.stringify(input);
  const url = new URL(endpoint);
  const { accessKeyId, secretAccessKey } = credentialsFor(account);
  const headers = signV4('POST', url.host, '/', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDBStreams_20120810.${operation}` }, body, {
    service: 'dynamodb',
    region: 'us-east-1',
    accessKeyId,
    secretAccessKey,
  });
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${operation}: ${res.status} ${text}`);
  return JSON.parse(text);
}

interface SigningKey {
  service: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The headers of a request signed with AWS Signature Version 4 (Authorization and X-Amz-Date added). */
export function signV4(method: string, host: string, path: string, headers: Record<string, string>, body: string, key: SigningKey): Record<string, string> {
  const now = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const date = now.slice(0, 8);
  const all: Record<string, string> = { host, 'x-amz-date': now };
  for (const [k, v] of Object.entries(headers)) all[k.toLowerCase()] = v;
  const names = Object.keys(all).sort();
  const canonical = [method, path, '', ...names.map((n) => `${n}:${all[n].trim()}`), '', names.join(';'), sha256(body)].join('\n');
  const scope = `${date}/${key.region}/${key.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', now, scope, sha256(canonical)].join('\n');
  let signingKey = hmac(`AWS4${key.secretAccessKey}`, date);
  for (const part of [key.region, key.service, 'aws4_request']) signingKey = hmac(signingKey, part);
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  const { host: _host, ...rest } = all;
  return { ...rest, authorization: `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();
