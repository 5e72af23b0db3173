import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, N, rejects, S, type Harness } from './harness.js';

describe('batches and transactions', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.table('accounts');
    await h.table('ledger', { range: true });
  });
  after(() => h.close());

  it('writes and reads in batches', async () => {
    const puts = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: S(`b${i}`), v: N(i) } } }));
    assert.deepEqual(await h.call('BatchWriteItem', { RequestItems: { accounts: puts } }), { UnprocessedItems: {} });
    const got = await h.call('BatchGetItem', {
      RequestItems: { accounts: { Keys: [{ pk: S('b1') }, { pk: S('b2') }, { pk: S('nope') }], ProjectionExpression: 'v' } },
      ReturnConsumedCapacity: 'TOTAL',
    });
    assert.deepEqual(got.Responses, { accounts: [{ v: N(1) }, { v: N(2) }] });
    assert.deepEqual(got.UnprocessedKeys, {});
    assert.deepEqual(got.ConsumedCapacity, [{ TableName: 'accounts', CapacityUnits: 1.5 }]);
    await h.call('BatchWriteItem', { RequestItems: { accounts: [{ DeleteRequest: { Key: { pk: S('b1') } } }] } });
    assert.deepEqual((await h.call('BatchGetItem', { RequestItems: { accounts: { Keys: [{ pk: S('b1') }] } } })).Responses, { accounts: [] });
  });

  it('enforces batch limits and duplicate keys with AWS messages', async () => {
    const puts = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: S(`x${i}`) } } }));
    await rejects(
      h.call('BatchWriteItem', { RequestItems: { accounts: puts } }),
      'ValidationException',
      /^1 validation error detected: Value '\{.+\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/,
    );
    await rejects(
      h.call('BatchWriteItem', { RequestItems: { accounts: [{ PutRequest: { Item: { pk: S('d') } } }, { DeleteRequest: { Key: { pk: S('d') } } }] } }),
      'ValidationException',
      'Provided list of item keys contains duplicates',
    );
    await rejects(
      h.call('BatchWriteItem', { RequestItems: { accounts: [{ PutRequest: { Item: { other: S('d') } } }] } }),
      'ValidationException',
      'The provided key element does not match the schema',
    );
    await rejects(h.call('BatchWriteItem', { RequestItems: { nope: [{ PutRequest: { Item: { pk: S('d') } } }] } }), 'ResourceNotFoundException', 'Requested resource not found');
    const keys = Array.from({ length: 101 }, (_, i) => ({ pk: S(`k${i}`) }));
    await rejects(h.call('BatchGetItem', { RequestItems: { accounts: { Keys: keys.slice(0, 50) }, ledger: { Keys: keys.slice(50).map((k, i) => ({ ...k, sk: N(i) })) } } }), 'ValidationException', 'Too many items requested for the BatchGetItem call');
    await rejects(h.call('BatchGetItem', { RequestItems: { accounts: { Keys: [{ pk: S('a') }, { pk: S('a') }] } } }), 'ValidationException', 'Provided list of item keys contains duplicates');
  });

  it('commits a transaction all at once', async () => {
    await h.call('PutItem', { TableName: 'accounts', Item: { pk: S('alice'), balance: N(100) } });
    await h.call('TransactWriteItems', {
      TransactItems: [
        { Update: { TableName: 'accounts', Key: { pk: S('alice') }, UpdateExpression: 'SET balance = balance - :a', ConditionExpression: 'balance >= :a', ExpressionAttributeValues: { ':a': N(30) } } },
        { Put: { TableName: 'accounts', Item: { pk: S('bob'), balance: N(30) }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: 'ledger', Item: { pk: S('alice'), sk: N(1), amount: N(-30) } } },
      ],
    });
    const got = await h.call('TransactGetItems', {
      TransactItems: [
        { Get: { TableName: 'accounts', Key: { pk: S('alice') } } },
        { Get: { TableName: 'accounts', Key: { pk: S('nobody') } } },
        { Get: { TableName: 'ledger', Key: { pk: S('alice'), sk: N(1) }, ProjectionExpression: 'amount' } },
      ],
    });
    assert.deepEqual(got.Responses, [{ Item: { pk: S('alice'), balance: N(70) } }, {}, { Item: { amount: N(-30) } }]);
  });

  it('cancels a transaction with reasons in request order, and writes nothing', async () => {
    const e = await rejects(
      h.call('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'accounts', Item: { pk: S('carol'), balance: N(1) } } },
          { ConditionCheck: { TableName: 'accounts', Key: { pk: S('alice') }, ConditionExpression: 'balance > :big', ExpressionAttributeValues: { ':big': N(1000) }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
          { Delete: { TableName: 'accounts', Key: { pk: S('bob') }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]',
    );
    assert.deepEqual(e.fields?.CancellationReasons, [
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: S('alice'), balance: N(70) } },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    assert.deepEqual(await h.call('GetItem', { TableName: 'accounts', Key: { pk: S('carol') } }), {});
  });

  it('reports a failing update as ValidationError among the reasons', async () => {
    const e = await rejects(
      h.call('TransactWriteItems', {
        TransactItems: [
          { Update: { TableName: 'accounts', Key: { pk: S('alice') }, UpdateExpression: 'SET balance = pk + :one', ExpressionAttributeValues: { ':one': N(1) } } },
          { Put: { TableName: 'accounts', Item: { pk: S('dave') } } },
        ],
      }),
      'TransactionCanceledException',
    );
    assert.deepEqual(e.fields?.CancellationReasons, [{ Code: 'ValidationError', Message: 'An operand in the update expression has an incorrect data type' }, { Code: 'None' }]);
  });

  it('refuses two operations on one item', async () => {
    await rejects(
      h.call('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'accounts', Item: { pk: S('x') } } },
          { Delete: { TableName: 'accounts', Key: { pk: S('x') } } },
        ],
      }),
      'ValidationException',
      'Transaction request cannot include multiple operations on one item',
    );
  });

  it('makes ClientRequestToken idempotent for 10 minutes on the clock', async () => {
    const request = {
      ClientRequestToken: 'token-1',
      TransactItems: [{ Update: { TableName: 'accounts', Key: { pk: S('counter') }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': N(1) } } }],
    };
    await h.call('TransactWriteItems', request);
    await h.call('TransactWriteItems', request);
    assert.deepEqual((await h.call('GetItem', { TableName: 'accounts', Key: { pk: S('counter') } })).Item.n, N(1));
    await rejects(
      h.call('TransactWriteItems', { ...request, TransactItems: [{ Put: { TableName: 'accounts', Item: { pk: S('other') } } }] }),
      'IdempotentParameterMismatchException',
    );
    h.advance(601);
    await h.call('TransactWriteItems', request);
    assert.deepEqual((await h.call('GetItem', { TableName: 'accounts', Key: { pk: S('counter') } })).Item.n, N(2));
  });

  it('validates transaction requests', async () => {
    await rejects(
      h.call('TransactWriteItems', { TransactItems: [] }),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await rejects(h.call('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'nope', Item: { pk: S('a') } } }] }), 'ResourceNotFoundException', 'Requested resource not found');
  });
});

describe('PartiQL', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.table('users', { range: true });
  });
  after(() => h.close());

  it('inserts, selects, updates and deletes', async () => {
    await h.call('ExecuteStatement', { Statement: `INSERT INTO "users" VALUE {'pk': 'u1', 'sk': 1, 'name': 'Alice', 'tags': <<'a', 'b'>>}` });
    await h.call('ExecuteStatement', { Statement: 'INSERT INTO users VALUE {\'pk\': ?, \'sk\': ?, \'name\': ?}', Parameters: [S('u1'), N(2), S('Bob')] });
    await rejects(h.call('ExecuteStatement', { Statement: `INSERT INTO users VALUE {'pk': 'u1', 'sk': 1}` }), 'DuplicateItemException', 'Duplicate primary key exists in table');
    const all = await h.call('ExecuteStatement', { Statement: `SELECT name FROM users WHERE pk = 'u1'` });
    assert.deepEqual(all.Items, [{ name: S('Alice') }, { name: S('Bob') }]);
    const filtered = await h.call('ExecuteStatement', { Statement: 'SELECT * FROM users WHERE sk > ? AND name IS NOT MISSING', Parameters: [N(1)] });
    assert.deepEqual(filtered.Items, [{ pk: S('u1'), sk: N(2), name: S('Bob') }]);
    const updated = await h.call('ExecuteStatement', { Statement: `UPDATE users SET age = 30 REMOVE tags WHERE pk = 'u1' AND sk = 1 RETURNING ALL NEW *` });
    assert.deepEqual(updated.Items, [{ pk: S('u1'), sk: N(1), name: S('Alice'), age: N(30) }]);
    await rejects(h.call('ExecuteStatement', { Statement: `UPDATE users SET age = 1 WHERE pk = 'nobody' AND sk = 1` }), 'ConditionalCheckFailedException');
    await h.call('ExecuteStatement', { Statement: `DELETE FROM users WHERE pk = 'u1' AND sk = 2` });
    assert.deepEqual((await h.call('ExecuteStatement', { Statement: `SELECT sk FROM users WHERE pk = 'u1'` })).Items, [{ sk: N(1) }]);
  });

  it('orders a partition by its sort key with ORDER BY', async () => {
    for (const sk of [3, 1, 2]) await h.call('ExecuteStatement', { Statement: `INSERT INTO users VALUE {'pk': 'ord', 'sk': ${sk}}` });
    const desc = await h.call('ExecuteStatement', { Statement: `SELECT sk FROM users WHERE pk = 'ord' ORDER BY sk DESC` });
    assert.deepEqual(desc.Items, [{ sk: N(3) }, { sk: N(2) }, { sk: N(1) }]);
    const asc = await h.call('ExecuteStatement', { Statement: `SELECT sk FROM users WHERE pk = 'ord' ORDER BY sk ASC` });
    assert.deepEqual(asc.Items, [{ sk: N(1) }, { sk: N(2) }, { sk: N(3) }]);
    await rejects(h.call('ExecuteStatement', { Statement: `SELECT sk FROM users WHERE pk = 'ord' ORDER BY name` }), 'ValidationException');
    await rejects(h.call('ExecuteStatement', { Statement: `SELECT sk FROM users ORDER BY sk` }), 'ValidationException');
  });

  it('reports malformed statements and parameter mistakes', async () => {
    await rejects(h.call('ExecuteStatement', { Statement: 'SELEC * FROM users' }), 'ValidationException', /^Statement wasn't well formed, can't be processed: /);
    await rejects(
      h.call('ExecuteStatement', { Statement: 'SELECT * FROM users', Parameters: [] }),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await rejects(h.call('ExecuteStatement', { Statement: 'SELECT * FROM nope' }), 'ResourceNotFoundException');
  });

  it('runs batches and transactions of statements', async () => {
    const batch = await h.call('BatchExecuteStatement', {
      Statements: [{ Statement: `INSERT INTO users VALUE {'pk': 'b', 'sk': 1}` }, { Statement: `INSERT INTO users VALUE {'pk': 'b', 'sk': 1}` }],
    });
    assert.deepEqual(batch.Responses, [{ TableName: 'users' }, { TableName: 'users', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } }]);
    assert.deepEqual(await h.call('ExecuteTransaction', { TransactStatements: [{ Statement: `INSERT INTO users VALUE {'pk': 't', 'sk': 1}` }, { Statement: `UPDATE users SET x = 1 WHERE pk = 'b' AND sk = 1` }] }), { Responses: [] });
    const read = await h.call('ExecuteTransaction', { TransactStatements: [{ Statement: `SELECT x FROM users WHERE pk = 'b' AND sk = 1` }, { Statement: `SELECT * FROM users WHERE pk = 'zz' AND sk = 1` }] });
    assert.deepEqual(read.Responses, [{ Item: { x: N(1) } }, {}]);
    const e = await rejects(
      h.call('ExecuteTransaction', { TransactStatements: [{ Statement: `INSERT INTO users VALUE {'pk': 'n', 'sk': 1}` }, { Statement: `INSERT INTO users VALUE {'pk': 't', 'sk': 1}` }] }),
      'TransactionCanceledException',
    );
    assert.deepEqual(e.fields?.CancellationReasons, [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
  });
});
