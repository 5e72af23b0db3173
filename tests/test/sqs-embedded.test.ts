import { after, before, describe } from 'node:test';
import { startEmbedded, type RunningStratus } from '@stratus/cli';
import { sqsSdkSuite } from '../src/sqs-suite.js';

describe('embedded: SQS and STS through the JS SDK v3', () => {
  let stratus: RunningStratus;
  before(async () => {
    stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
  });
  after(() => stratus.close());
  sqsSdkSuite({ endpoint: () => stratus.endpoint });
});
