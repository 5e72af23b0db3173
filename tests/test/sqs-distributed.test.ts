import { after, before, describe } from 'node:test';
import { Cluster } from '../src/cluster.js';
import { sqsSdkSuite } from '../src/sqs-suite.js';

describe('distributed: SQS and STS through a gateway and two SQS replicas over NATS and Redis', () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start({ sqs: 2, sts: 1 });
  });
  after(() => cluster?.stop());
  sqsSdkSuite({ endpoint: () => cluster.endpoint });
});
