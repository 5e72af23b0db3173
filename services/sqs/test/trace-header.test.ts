import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from './harness.js';

describe('AWSTraceHeader from the X-Amzn-Trace-Id request header', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('is recorded when the message names no AWSTraceHeader, and the explicit one wins', async () => {
    const url = await h.queue('traced');
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    await h.call('SendMessage', { QueueUrl: url, MessageBody: 'from header' }, { traceId: header });
    await h.call(
      'SendMessageBatch',
      { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'explicit', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=explicit' } } }] },
      { traceId: header },
    );
    const got = await h.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['AWSTraceHeader'] });
    const byBody = Object.fromEntries(got.Messages.map((m: { Body: string; Attributes: Record<string, string> }) => [m.Body, m.Attributes.AWSTraceHeader]));
    assert.deepEqual(byBody, { 'from header': header, explicit: 'Root=explicit' });
  });
});
