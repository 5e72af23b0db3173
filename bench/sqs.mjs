// SQS cases for `npm run bench`: SendMessage, ReceiveMessage+DeleteMessage and SendMessageBatch over the
// JSON protocol (what current SDKs send), as pre-signed raw HTTP requests.
import { measure, request, sigv4 } from './load.mjs';

const target = (op) => ({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}` });

function client(port) {
  const host = `127.0.0.1:${port}`;
  const signed = (op, body) => sigv4('POST', host, '/', target(op), body, { service: 'sqs' });
  const call = async (agent, op, input) => {
    const body = JSON.stringify(input);
    const res = await request(agent, port, { headers: signed(op, body), body });
    if (res.status !== 200) throw new Error(`${op}: ${res.status} ${res.body}`);
    return JSON.parse(res.body);
  };
  return { call, signed };
}

/** Returns rows {case, concurrency, opsPerSecond, cpuMicrosPerOp}. */
export async function benchSqs({ port, pid }, { counts = { 1: 2000, 16: 8000 } } = {}) {
  const { call, signed } = client(port);
  const setup = new (await import('node:http')).Agent({ keepAlive: true });
  const rows = [];
  for (const concurrency of [1, 16]) {
    const total = counts[concurrency];
    const { QueueUrl } = await call(setup, 'CreateQueue', { QueueName: `bench-${concurrency}-${Date.now()}` });

    // SendMessage: one request shape, signed once.
    const sendBody = JSON.stringify({ QueueUrl, MessageBody: 'x'.repeat(200) });
    const sendHeaders = signed('SendMessage', sendBody);
    rows.push({
      case: 'SQS SendMessage',
      concurrency,
      ...(await measure(pid, concurrency, total, async (agent) => {
        const r = await request(agent, port, { headers: sendHeaders, body: sendBody });
        if (r.status !== 200) throw new Error(r.body);
      })),
    });

    // ReceiveMessage + DeleteMessage of what was just sent; one operation = the pair.
    const recvBody = JSON.stringify({ QueueUrl, MaxNumberOfMessages: 1 });
    const recvHeaders = signed('ReceiveMessage', recvBody);
    const delHeaders = signed('DeleteMessage', '{}');
    const pair = await measure(pid, concurrency, total, async (agent) => {
      const r = await request(agent, port, { headers: recvHeaders, body: recvBody });
      const m = JSON.parse(r.body).Messages?.[0];
      if (!m) throw new Error('queue ran dry: ' + r.body);
      const d = await request(agent, port, { headers: delHeaders, body: JSON.stringify({ QueueUrl, ReceiptHandle: m.ReceiptHandle }) });
      if (d.status !== 200) throw new Error(d.body);
    });
    rows.push({ case: 'SQS ReceiveMessage+DeleteMessage', concurrency, ...pair });

    // SendMessageBatch of 10 small messages; one operation = one batch.
    const batchBody = JSON.stringify({ QueueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x'.repeat(100) })) });
    const batchHeaders = signed('SendMessageBatch', batchBody);
    rows.push({
      case: 'SQS SendMessageBatch (10)',
      concurrency,
      ...(await measure(pid, concurrency, Math.ceil(total / 4), async (agent) => {
        const r = await request(agent, port, { headers: batchHeaders, body: batchBody });
        if (r.status !== 200) throw new Error(r.body);
      })),
    });
    await call(setup, 'DeleteQueue', { QueueUrl });
  }
  setup.destroy();
  return rows;
}

/** ListQueues as the first answered call, for startup time. */
export async function listQueues(port) {
  const { signed } = client(port);
  const http = await import('node:http');
  const agent = new http.Agent();
  try {
    const res = await request(agent, port, { headers: signed('ListQueues', '{}'), body: '{}' });
    return res.status === 200;
  } finally {
    agent.destroy();
  }
}
