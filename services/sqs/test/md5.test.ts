import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { md5OfAttributes, md5OfBody } from '../src/md5.js';

// Digests recorded from real AWS (aws-oracle/sqs/test_sqs.snapshot.json).
describe('MD5 digests as AWS computes them', () => {
  it('digests bodies', () => {
    assert.equal(md5OfBody('message'), '78e731027d8fd50ed642340b7c9a63b3');
    assert.equal(md5OfBody('msg'), '6e2baaf3b97dbeef01c0043275f9a0e7');
    assert.equal(md5OfBody('a'), '0cc175b9c0f1b6a831c399e269772661');
  });

  it('digests string and number attributes in name order', () => {
    const attrs = {
      'Help.Me': { DataType: 'String', StringValue: 'Me' },
      Hello: { DataType: 'String', StringValue: 'There' },
      General: { DataType: 'String', StringValue: 'Kenobi' },
    };
    assert.equal(md5OfAttributes(attrs), '4c360f3fdafd970e05fae2f149d997f5');
    assert.equal(md5OfAttributes({ Hello: attrs.Hello, General: attrs.General }), 'fca026605781cb4126a1e9044df24232');
    assert.equal(md5OfAttributes({ Hello: attrs.Hello }), 'a311262e065454b75da111d535b8dacd');
    assert.equal(md5OfAttributes({ Hello: attrs.Hello, 'Help.Me': attrs['Help.Me'] }), '83fee93c1bcd8b9a5a923ffacdc636c7');
    assert.equal(md5OfAttributes({ k: { DataType: 'String', StringValue: 'x' } }), 'a45daa70926828a2f0a1db3418e6feb4');
    assert.equal(md5OfAttributes({ MyAttribute: { DataType: 'String', StringValue: 'foobar' } }), 'adb59cd4678ea5a855436b949cd07ab6');
    assert.equal(md5OfAttributes({ timestamp: { DataType: 'Number', StringValue: '1493147359900' } }), '235c5c510d26fb653d073faed50ae77c');
    assert.equal(md5OfAttributes({ Foo: { DataType: 'String', StringValue: 'Bar' } }), 'ae7155c6026991b6d54b11589678bf9c');
  });

  it('digests binary attributes from their decoded bytes', () => {
    const value = Buffer.from('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01', 'latin1').toString('base64');
    assert.equal(md5OfAttributes({ attr1: { DataType: 'Binary', BinaryValue: value } }), '8cbe4db156db8a94db8b801b7addb984');
  });

  it('digests message system attributes the same way', () => {
    const trace = { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' };
    assert.equal(md5OfAttributes({ AWSTraceHeader: trace }), '5ae4d5d7636402d80f4eb6d213245a88');
  });
});
