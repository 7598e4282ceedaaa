import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { createBulkService } from '../../../../src/indexer/outputs/elasticsearch/bulk-service.ts';

/** A _bulk endpoint that answers each request with the next body, and records what it got. */
async function endpoint(t: { after: (f: () => Promise<void>) => void }, answers: string[]) {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      received.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' }).end(answers.shift() ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const service = createBulkService({ cluster: { hosts: [url] }, requestTimeoutMs: 10_000 });
  t.after(async () => {
    await service.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { service, received };
}

const body = Buffer.from('{"index":{"_index":"x","_id":"a"}}\n{"n":1}\n{"index":{"_index":"x","_id":"b"}}\n{"n":2}\n');

test('an answer with "errors":false before its items acknowledges every item without reading them', async (t) => {
  const { service, received } = await endpoint(t, ['{"errors":false,"items":[{"index":{"status":201}},{"index":{"status":201}}]}', '{"took":3,"errors":false,"items":[]}']);
  assert.deepEqual(await service.send(body), { kind: 'acknowledged' });
  assert.deepEqual(await service.send(body), { kind: 'acknowledged' });
  assert.equal(received[0], `POST /_bulk?filter_path=errors%2Citems.*.status%2Citems.*.error ${body.toString()}`);
});

test('an answer with "errors":true, or with errors after the items, is read item by item', async (t) => {
  const { service } = await endpoint(t, [
    '{"errors":true,"items":[{"index":{"status":201}},{"index":{"status":400,"error":{"type":"mapper_parsing_exception","reason":"bad"}}}]}',
    '{"items":[{"index":{"status":201}},{"index":{"status":429}}],"errors":false}',
  ]);
  assert.deepEqual(await service.send(body), { kind: 'items', items: [{ status: 201 }, { status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad' } }] });
  assert.deepEqual(await service.send(body), { kind: 'items', items: [{ status: 201 }, { status: 429 }] });
});

test('a failed request with a large buffer body is answered without copying the body into the error (memory stays flat)', async (t) => {
  // A port nothing listens on: every send fails with a network error.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as { port: number }).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const service = createBulkService({ cluster: { hosts: [`http://127.0.0.1:${port}`] }, requestTimeoutMs: 10_000 });
  t.after(() => service.close());
  const memory = new ArrayBuffer(8 * 1024 * 1024);
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 5; i++) {
    // A view of a larger buffer, as the packed bulk lines are sent.
    const outcome = await service.send(Buffer.from(memory, 1024, 4 * 1024 * 1024));
    assert.equal(outcome.kind, 'network');
  }
  // Copying the body key by key (the client's default error redaction) took ~0.5 GB per send.
  assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, `RSS grew by ${((process.memoryUsage().rss - before) / 1e6).toFixed(0)} MB`);
});
