import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BulkAction, type BulkDecision, type BulkOutcome, backoffMs, decideBulk, errorText } from '../../../../src/indexer/outputs/elasticsearch/retry.ts';

const mapping = { type: 'mapper_parsing_exception', reason: 'failed to parse field [n] of type [long]', caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "x"' } };

const cases: { name: string; outcome: BulkOutcome; actions: BulkAction[]; replays?: boolean; expect: BulkDecision }[] = [
  { name: 'all 201 → ok', outcome: { kind: 'items', items: [{ status: 201 }, { status: 200 }] }, actions: ['index', 'index'], expect: { kind: 'ok' } },
  { name: '"errors":false (items not read) → ok', outcome: { kind: 'acknowledged' }, actions: ['index', 'index'], expect: { kind: 'ok' } },
  { name: 'network error → retry all', outcome: { kind: 'network', message: 'ECONNREFUSED' }, actions: ['index', 'index'], expect: { kind: 'partial', retry: [0, 1], deadLetters: [], retryReason: 'network: ECONNREFUSED' } },
  { name: 'whole 429 → retry all', outcome: { kind: 'http', status: 429 }, actions: ['index'], expect: { kind: 'partial', retry: [0], deadLetters: [], retryReason: 'HTTP 429' } },
  { name: 'whole 503 → retry all', outcome: { kind: 'http', status: 503, error: { type: 'unavailable', reason: 'down' } }, actions: ['index'], expect: { kind: 'partial', retry: [0], deadLetters: [], retryReason: 'HTTP 503: unavailable: down' } },
  { name: 'whole 401 → retry (credentials are fixed by an operator, data is kept)', outcome: { kind: 'http', status: 401 }, actions: ['index'], expect: { kind: 'partial', retry: [0], deadLetters: [], retryReason: 'HTTP 401' } },
  { name: 'whole 413 with several items → split', outcome: { kind: 'http', status: 413 }, actions: ['index', 'index'], expect: { kind: 'split' } },
  { name: 'whole 413 with one item → dead letter', outcome: { kind: 'http', status: 413 }, actions: ['index'], expect: { kind: 'partial', retry: [], deadLetters: [{ item: 0, status: 413, reason: 'HTTP 413' }], retryReason: undefined } },
  { name: 'whole 400 → dead letter all', outcome: { kind: 'http', status: 400, error: 'bad' }, actions: ['index'], expect: { kind: 'partial', retry: [], deadLetters: [{ item: 0, status: 400, reason: 'HTTP 400: bad' }], retryReason: undefined } },
  {
    name: 'item 429 and 500 retried, mapping conflict dead-lettered, others ok',
    outcome: { kind: 'items', items: [{ status: 201 }, { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } }, { status: 400, error: mapping }, { status: 500 }] },
    actions: ['index', 'index', 'index', 'index'],
    expect: {
      kind: 'partial',
      retry: [1, 3],
      deadLetters: [{ item: 2, status: 400, reason: 'mapper_parsing_exception: failed to parse field [n] of type [long] (caused by: illegal_argument_exception: For input string: "x")' }],
      retryReason: 'item HTTP 429: es_rejected_execution_exception: queue full',
    },
  },
  { name: 'create 409 is a replay → ok', outcome: { kind: 'items', items: [{ status: 409 }] }, actions: ['create'], expect: { kind: 'ok' } },
  {
    name: 'create 409 when conflicts are not replays → dead letter',
    outcome: { kind: 'items', items: [{ status: 409, error: { type: 'version_conflict_engine_exception', reason: 'exists' } }] },
    actions: ['create'],
    replays: false,
    expect: { kind: 'partial', retry: [], deadLetters: [{ item: 0, status: 409, reason: 'version_conflict_engine_exception: exists' }], retryReason: undefined },
  },
  { name: 'update 409 → dead letter', outcome: { kind: 'items', items: [{ status: 409 }] }, actions: ['update'], expect: { kind: 'partial', retry: [], deadLetters: [{ item: 0, status: 409, reason: 'HTTP 409' }], retryReason: undefined } },
  { name: 'delete 404 is a replay → ok', outcome: { kind: 'items', items: [{ status: 404 }] }, actions: ['delete'], expect: { kind: 'ok' } },
  { name: 'short answer → missing items retried', outcome: { kind: 'items', items: [{ status: 201 }] }, actions: ['index', 'index'], expect: { kind: 'partial', retry: [1], deadLetters: [], retryReason: 'the bulk answer has 1 items for 2 sent' } },
];

for (const c of cases) {
  test(`decideBulk: ${c.name}`, () => {
    assert.deepEqual(decideBulk(c.outcome, { actions: c.actions, conflictsAreReplays: c.replays ?? true }), c.expect);
  });
}

test('errorText of a string and of a nested error', () => {
  assert.equal(errorText('x'), 'x');
  assert.equal(errorText({}), 'unknown error');
});

test('backoff doubles from the initial value, is capped, and jitters within [cap/2, cap]', () => {
  assert.equal(backoffMs(1, 100, 30_000, () => 1), 100);
  assert.equal(backoffMs(1, 100, 30_000, () => 0), 50);
  assert.equal(backoffMs(3, 100, 30_000, () => 1), 400);
  assert.equal(backoffMs(50, 100, 30_000, () => 1), 30_000);
  assert.equal(backoffMs(50, 100, 30_000, () => 0), 15_000);
});
