// DynamoDB cases for `npm run bench`: PutItem, GetItem, a Query answering 100 items and a Scan of
// 10,000 items in pages of 1,000, as pre-signed raw HTTP requests (AWS JSON 1.0, what every SDK sends).
// Each request shape is signed once: the servers measured read a signature's shape, not its value, so
// bodies vary under one signature (distinct keys for puts and gets).
import http from 'node:http';
import { measure, request, sigv4 } from './load.mjs';

const target = (op) => ({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${op}` });
const PAD = 'x'.repeat(100);
const SCAN_ITEMS = 10_000;
const SCAN_PAGE = 1_000;

function client(port) {
  const host = `127.0.0.1:${port}`;
  const headers = new Map();
  const signed = (op) => {
    let h = headers.get(op);
    if (!h) headers.set(op, (h = sigv4('POST', host, '/', target(op), '{}', { service: 'dynamodb' })));
    return h;
  };
  const call = async (agent, op, input) => {
    const body = JSON.stringify(input);
    const res = await request(agent, port, { headers: signed(op), body });
    if (res.status !== 200) throw new Error(`${op}: ${res.status} ${res.body}`);
    return JSON.parse(res.body);
  };
  return { call, signed };
}

/** Creates a table keyed pk (S) + sk (N) and waits until it is ACTIVE (dynalite keeps it CREATING a while). */
async function createTable(call, agent, TableName) {
  await call(agent, 'CreateTable', {
    TableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (;;) {
    const { Table } = await call(agent, 'DescribeTable', { TableName });
    if (Table.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Writes items with BatchWriteItem, 25 a request, `concurrency` requests at a time. */
async function fill(call, agent, TableName, items, concurrency = 8) {
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        let RequestItems = { [TableName]: batch.map((Item) => ({ PutRequest: { Item } })) };
        while (RequestItems && Object.keys(RequestItems).length > 0) RequestItems = (await call(agent, 'BatchWriteItem', { RequestItems })).UnprocessedItems;
      }
    }),
  );
}

/**
 * Returns rows {case, concurrency, opsPerSecond, cpuMicrosPerOp}. `counts` scales the number of
 * operations per concurrency (slower peers get fewer).
 */
export async function benchDynamodb({ port, pid }, { counts = { 1: 2000, 16: 8000 }, scans = { 1: 5, 16: 16 } } = {}) {
  const { call, signed } = client(port);
  const setup = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const stamp = Date.now();
  const items = `bench-items-${stamp}`;
  const scanTable = `bench-scan-${stamp}`;
  await createTable(call, setup, items);
  await createTable(call, setup, scanTable);
  // The Query partition: 100 items of ~120 bytes.
  await fill(call, setup, items, Array.from({ length: 100 }, (_, i) => ({ pk: { S: 'query' }, sk: { N: String(i) }, pad: { S: PAD } })));
  await fill(call, setup, scanTable, Array.from({ length: SCAN_ITEMS }, (_, i) => ({ pk: { S: `p${i % 500}` }, sk: { N: String(i) }, pad: { S: PAD } })));

  const rows = [];
  const putHeaders = signed('PutItem');
  const getHeaders = signed('GetItem');
  const queryHeaders = signed('Query');
  const scanHeaders = signed('Scan');
  for (const concurrency of [1, 16]) {
    const total = counts[concurrency];

    // PutItem of distinct items (~150 bytes); one operation = one put.
    let n = 0;
    rows.push({
      case: 'DynamoDB PutItem',
      concurrency,
      ...(await measure(pid, concurrency, total, async (agent) => {
        const i = n++;
        const body = JSON.stringify({ TableName: items, Item: { pk: { S: `c${concurrency}-${i % 1000}` }, sk: { N: String(i) }, n: { N: String(i) }, pad: { S: PAD } } });
        const r = await request(agent, port, { headers: putHeaders, body });
        if (r.status !== 200) throw new Error(r.body);
      })),
    });

    // GetItem of the items just put.
    let g = 0;
    rows.push({
      case: 'DynamoDB GetItem',
      concurrency,
      ...(await measure(pid, concurrency, total, async (agent) => {
        const i = g++;
        const body = JSON.stringify({ TableName: items, Key: { pk: { S: `c${concurrency}-${i % 1000}` }, sk: { N: String(i) } } });
        const r = await request(agent, port, { headers: getHeaders, body });
        if (r.status !== 200 || !r.body.includes('"Item"')) throw new Error(`GetItem found nothing: ${r.body}`);
      })),
    });

    // Query answering a whole partition of 100 items.
    const queryBody = JSON.stringify({ TableName: items, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'query' } } });
    rows.push({
      case: 'DynamoDB Query (100 items)',
      concurrency,
      ...(await measure(pid, concurrency, Math.ceil(total / 4), async (agent) => {
        const r = await request(agent, port, { headers: queryHeaders, body: queryBody });
        if (r.status !== 200) throw new Error(r.body);
        const count = JSON.parse(r.body).Count;
        if (count !== 100) throw new Error(`Query answered ${count} items`);
      })),
    });

    // A whole Scan of 10,000 items, following LastEvaluatedKey; one operation = the 10 pages.
    rows.push({
      case: `DynamoDB Scan 10k items (${SCAN_ITEMS / SCAN_PAGE} pages)`,
      concurrency,
      ...(await measure(pid, concurrency, scans[concurrency], async (agent) => {
        let seen = 0;
        let start;
        do {
          const body = JSON.stringify({ TableName: scanTable, Limit: SCAN_PAGE, ...(start ? { ExclusiveStartKey: start } : {}) });
          const r = await request(agent, port, { headers: scanHeaders, body });
          if (r.status !== 200) throw new Error(r.body);
          const page = JSON.parse(r.body);
          seen += page.Count;
          start = page.LastEvaluatedKey;
        } while (start);
        if (seen !== SCAN_ITEMS) throw new Error(`Scan saw ${seen} items`);
      })),
    });
  }
  await call(setup, 'DeleteTable', { TableName: items });
  await call(setup, 'DeleteTable', { TableName: scanTable });
  setup.destroy();
  return rows;
}

/** ListTables as the first answered call (readiness of a DynamoDB-only server). */
export async function listTables(port) {
  const { signed } = client(port);
  const agent = new http.Agent();
  try {
    const res = await request(agent, port, { headers: signed('ListTables'), body: '{}' });
    return res.status === 200;
  } finally {
    agent.destroy();
  }
}
