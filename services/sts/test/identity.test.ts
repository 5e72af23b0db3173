import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accountFromAccessKey, type CallContext } from '@stratus/shared';
import { createStsService } from '../src/index.js';

function ctx(accessKeyId: string): CallContext {
  return { account: accountFromAccessKey(accessKeyId), region: 'us-east-1', requestId: 'r', accessKeyId, host: 'h', protocol: 'query' };
}

describe('GetCallerIdentity', () => {
  const sts = createStsService();
  it('names the account of a 12-digit access key', async () => {
    assert.deepEqual(await sts.operations.GetCallerIdentity({}, ctx('123456789012')), {
      UserId: '123456789012',
      Account: '123456789012',
      Arn: 'arn:aws:iam::123456789012:root',
    });
  });
  it('puts any other access key in the default account', async () => {
    const id = await sts.operations.GetCallerIdentity({}, ctx('AKIAIOSFODNN7EXAMPLE'));
    assert.equal(id.Account, '000000000000');
    assert.equal(id.Arn, 'arn:aws:iam::000000000000:root');
  });
  it('has no other operations', () => {
    assert.deepEqual(Object.keys(sts.operations), ['GetCallerIdentity']);
  });
});
