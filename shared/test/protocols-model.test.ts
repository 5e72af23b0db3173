import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel, parseModel, type ListShape, type MapShape, type StructureShape } from '../src/protocols/model.js';

function member(shape: StructureShape | undefined, name: string) {
  const m = shape?.members.find((x) => x.name === name);
  assert.ok(m, `member ${name}`);
  return m;
}

describe('loadModel', () => {
  it('reads a vendored model once and exposes its metadata', () => {
    const sqs = loadModel('sqs-2012-11-05');
    assert.equal(loadModel('sqs-2012-11-05'), sqs);
    assert.equal(sqs.protocol, 'json');
    assert.equal(sqs.targetPrefix, 'AmazonSQS');
    assert.equal(sqs.jsonVersion, '1.0');
    assert.equal(sqs.xmlNamespace, 'http://queue.amazonaws.com/doc/2012-11-05/');
    assert.equal(sqs.awsQueryCompatible, true);
    assert.ok(sqs.operationNames.includes('ReceiveMessage'));
    const sts = loadModel('sts-2011-06-15');
    assert.equal(sts.protocol, 'query');
    assert.equal(sts.awsQueryCompatible, false);
    assert.equal(sts.apiVersion, '2011-06-15');
  });

  it('refuses ids that are not model file names', () => {
    assert.throws(() => loadModel('../package'), /invalid model id/);
  });

  it('knows its operations and nothing inherited', () => {
    const sqs = loadModel('sqs-2012-11-05');
    assert.equal(sqs.hasOperation('SendMessage'), true);
    assert.equal(sqs.hasOperation('constructor'), false);
    assert.equal(sqs.hasOperation('__proto__'), false);
    assert.equal(sqs.operation('toString'), undefined);
    assert.equal(sqs.operation('SendMessage'), sqs.operation('SendMessage'));
  });
});

describe('shape resolution', () => {
  it("gives a member the referenced shape's naming unless it names itself", () => {
    const sqs = loadModel('sqs-2012-11-05');
    const tags = member(sqs.operation('CreateQueue')!.input, 'tags');
    assert.equal(tags.locationName, 'Tag');
    assert.equal(tags.flattened, true);
    const tagQueueTags = member(sqs.operation('TagQueue')!.input, 'Tags');
    assert.equal(tagQueueTags.locationName, 'Tag', 'inherited from the named shape');
    assert.equal(tagQueueTags.shape, tags.shape, 'a named shape is resolved once');
    const map = tags.shape as MapShape;
    assert.equal(map.key.locationName, 'Key');
    assert.equal(map.value.locationName, 'Value');
    const names = member(sqs.operation('ReceiveMessage')!.input, 'AttributeNames');
    assert.equal(names.flattened, true);
    assert.equal((names.shape as ListShape).member.locationName, 'AttributeName');
    assert.equal(member(sqs.operation('SendMessage')!.input, 'QueueUrl').shape.type, 'string');
  });

  it('resolves recursive shapes to the same objects', () => {
    const ddb = loadModel('dynamodb-2012-08-10');
    const item = member(ddb.operation('PutItem')!.input, 'Item').shape as MapShape;
    const attributeValue = item.value.shape as StructureShape;
    const m = member(attributeValue, 'M').shape as MapShape;
    const l = member(attributeValue, 'L').shape as ListShape;
    assert.equal(m.value.shape, attributeValue);
    assert.equal(l.member.shape, attributeValue);
  });

  it('finds the result wrapper on the output, inline or referenced', () => {
    assert.equal(loadModel('sts-2011-06-15').operation('GetCallerIdentity')!.resultWrapper, 'GetCallerIdentityResult');
    assert.equal(loadModel('sqs-2012-11-05').operation('ReceiveMessage')!.resultWrapper, 'ReceiveMessageResult');
    assert.equal(loadModel('sqs-2012-11-05').operation('DeleteQueue')!.output, undefined);
    const model = parseModel('t', {
      metadata: { protocol: 'query', apiVersion: '1', serviceId: 'T' },
      operations: { Get: { output: { shape: 'GetOut' } } },
      shapes: { GetOut: { type: 'structure', resultWrapper: 'GetResult', members: { A: {} } } },
    });
    assert.equal(model.operation('Get')!.resultWrapper, 'GetResult');
    assert.deepEqual(
      model.operation('Get')!.output!.members.map((m) => m.name),
      ['A'],
    );
  });

  it('fails loudly on models it cannot read', () => {
    assert.throws(() => parseModel('t', { shapes: {} }), /not an AWS API model/);
    const odd = parseModel('t', {
      metadata: { protocol: 'json', apiVersion: '1', serviceId: 'T' },
      operations: { A: { input: { shape: 'Missing' } }, B: { input: { type: 'structure', members: { X: { type: 'document' } } } } },
    });
    assert.throws(() => odd.operation('A'), /unknown shape Missing/);
    assert.throws(() => odd.operation('B'), /unsupported shape type document/);
  });
});
