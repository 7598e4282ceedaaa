/**
 * How queries compile into statements SQLite can run well: a query_string value no
 * keyword value matches drops out of the default-field OR, and a query that requires a
 * full-text match starts from it (Clause.driver) with the same hits and scores as the
 * statement that probes the match per row.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SearchCompiler } from '../../../src/store/search/compile.ts';
import { search } from '../../../src/store/search/execute.ts';
import { engineWithLogs } from './log-engine.ts';

test('query_string over the default fields: keyword and number fields that cannot match drop out of the OR', async (t) => {
  const engine = await engineWithLogs(t);
  const index = engine.index('logs');
  const compiler = new SearchCompiler(index, { now: Date.now(), db: index.reader() });
  const clause = compiler.compile({ query_string: { query: '"payment failed" AND service:api' } });
  assert.doesNotMatch(clause.w, /\b0 OR\b|\bOR 0\b/);
  assert.ok(clause.driver, 'the phrase is required, so the search can start from it');
  // a value some keyword column holds stays in the OR
  const both = compiler.compile({ query_string: { query: 'api' } });
  assert.match(both.w, / OR /);
  assert.equal(both.driver, undefined, 'an OR of fields has no match every hit satisfies');
  const plan = index
    .reader()
    .prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM fields f WHERE ${clause.w}`)
    .all(compiler.bind(clause.w)) as { detail: string }[];
  assert.ok(!plan.some((p) => /^SCAN f\b/.test(p.detail)), `no pass over every row: ${JSON.stringify(plan)}`);
});

test('a search that starts from its full-text match finds the same hits, scores and totals', async (t) => {
  const engine = await engineWithLogs(t);
  const pairs: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'must match + filter term',
      { bool: { must: [{ match: { message: 'payment declined' } }], filter: [{ term: { service: 'api' } }] } },
      { bool: { should: [{ match: { message: 'payment declined' } }], minimum_should_match: 1, filter: [{ term: { service: 'api' } }] } },
    ],
    [
      'query_string phrase AND keyword',
      { query_string: { query: '"payment failed" AND service:api' } },
      { bool: { should: [{ match_phrase: { message: 'payment failed' } }], minimum_should_match: 1, must: [{ term: { service: 'api' } }] } },
    ],
    [
      'two text clauses and a range',
      { bool: { must: [{ match: { message: 'card' } }, { match: { message: 'retry' } }], filter: [{ range: { status: { gte: 500 } } }] } },
      { bool: { should: [{ match: { message: 'card' } }, { match: { message: 'retry' } }], minimum_should_match: 2, filter: [{ range: { status: { gte: 500 } } }] } },
    ],
  ];
  for (const [name, driven, probed] of pairs) {
    const index = engine.index('logs');
    const compiler = new SearchCompiler(index, { now: Date.now(), db: index.reader() });
    assert.ok(compiler.compile(driven).driver, `${name}: driven`);
    assert.equal(new SearchCompiler(index, { now: Date.now(), db: index.reader() }).compile(probed).driver, undefined, `${name}: probed`);
    const a = search(engine, 'logs', { query: driven, size: 400, track_total_hits: true });
    const b = search(engine, 'logs', { query: probed, size: 400, track_total_hits: true });
    assert.ok(a.hits.hits.length > 3, `${name}: some hits`);
    assert.deepEqual(a.hits.total, b.hits.total, name);
    const shape = (r: typeof a) => r.hits.hits.map((h) => [h._id, Number(h._score?.toFixed(9))]);
    assert.deepEqual(shape(a), shape(b), name);
    // and the top 5 by score, which the statement's LIMIT decides
    const top = (q: Record<string, unknown>) => search(engine, 'logs', { query: q, size: 5 }).hits.hits.map((h) => Number(h._score?.toFixed(9)));
    assert.deepEqual(top(driven), top(probed), `${name}: top 5`);
  }
});

test('range clauses that every hit satisfies give their bounds (for seeks on the column), others do not', async (t) => {
  const engine = await engineWithLogs(t);
  const index = engine.index('logs');
  const ts = `f.${index.committedStorage.get('@timestamp')!.column}`;
  const ops = (q: unknown) => {
    const compiler = new SearchCompiler(index, { now: Date.now(), db: index.reader() });
    const clause = compiler.compile(q);
    return (clause.bounds ?? []).map((b) => [b.column, b.op, compiler.params[b.param.slice(1)]]);
  };
  const from = Date.UTC(2024, 4, 1, 1);
  const to = Date.UTC(2024, 4, 1, 2);
  assert.deepEqual(ops({ bool: { filter: [{ range: { '@timestamp': { gte: from, lt: to } } }, { term: { level: 'error' } }] } }), [
    [ts, '>=', from],
    [ts, '<', to],
  ]);
  assert.deepEqual(ops({ query_string: { query: `@timestamp:[${from} TO ${to}} AND payment` } }), [
    [ts, '>=', from],
    [ts, '<', to],
  ]);
  assert.deepEqual(ops({ bool: { should: [{ range: { '@timestamp': { gte: from } } }, { term: { level: 'error' } }] } }), []);
  assert.deepEqual(ops({ bool: { must_not: [{ range: { '@timestamp': { gte: from } } }] } }), []);
});
