/** Totals: counted by the statement that ranks by score (a window count) or by a count statement, the same. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { search } from '../../../src/store/search/execute.ts';
import { engineWithLogs } from './log-engine.ts';

test('totals counted with the ranked hits equal the count statement, capped the same way', async (t) => {
  const engine = await engineWithLogs(t);
  const queries = [
    { match: { message: 'payment' } },
    { query_string: { query: '"payment failed" AND service:api' } },
    { bool: { must: [{ match: { message: 'card' } }], filter: [{ term: { level: 'error' } }] } },
    { match: { message: 'nowhere' } },
    { term: { service: 'web' } },
  ];
  for (const query of queries) {
    const counted = search(engine, 'logs', { query, size: 0, track_total_hits: true }).hits.total!;
    assert.equal(counted.relation, 'eq');
    // ranked by score (the default sort): the total comes with the hits
    const ranked = search(engine, 'logs', { query, size: 3, track_total_hits: true });
    assert.deepEqual(ranked.hits.total, counted, JSON.stringify(query));
    assert.equal(ranked.hits.hits.length, Math.min(3, counted.value));
    // past the end of the hits, the total is still every match
    assert.deepEqual(search(engine, 'logs', { query, from: 395, size: 5, track_total_hits: true }).hits.total, counted);
    const capped = search(engine, 'logs', { query, size: 3, track_total_hits: 10 }).hits.total;
    assert.deepEqual(capped, counted.value > 10 ? { value: 10, relation: 'gte' } : counted);
    assert.deepEqual(search(engine, 'logs', { query, size: 3, sort: ['_doc'], track_total_hits: 10 }).hits.total, capped);
  }
});
