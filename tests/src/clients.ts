import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';

/** Credentials whose 12-digit key id makes calls land in that account. */
export function credentialsFor(account = '000000000000') {
  return { accessKeyId: account === '000000000000' ? 'test' : account, secretAccessKey: 'test' };
}

export function sqsClient(endpoint: string, account?: string): SQSClient {
  return new SQSClient({ endpoint, region: 'us-east-1', credentials: credentialsFor(account), maxAttempts: 1 });
}

export function stsClient(endpoint: string, account?: string): STSClient {
  return new STSClient({ endpoint, region: 'us-east-1', credentials: credentialsFor(account), maxAttempts: 1 });
}

/** A queue name no other test uses. */
let counter = 0;
export function uniqueName(prefix = 'q'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}
