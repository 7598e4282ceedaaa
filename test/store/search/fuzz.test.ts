/**
 * Random query bodies and query strings sent to `_search` for a bounded time: every
 * answer is a 200 or an Elasticsearch-shaped 4xx, never a 500, and none hangs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestStore, uniqueIndex } from '../helpers.ts';

const DURATION_MS = Number(process.env.LOGLANE_FUZZ_MS ?? 2500);
const CLAUSES = ['match_all', 'match_none', 'match', 'match_phrase', 'match_phrase_prefix', 'multi_match', 'term', 'terms', 'range', 'exists', 'ids', 'prefix', 'wildcard', 'regexp', 'fuzzy', 'bool', 'constant_score', 'boosting', 'dis_max', 'query_string', 'simple_query_string', 'kql', 'nope'];
const FIELDS = ['message', 'level', 'level.keyword', 'n', '@timestamp', 'missing', 'tags', '*', 'mess*', '_id'];
const KEYS = ['query', 'value', 'field', 'fields', 'gte', 'lt', 'operator', 'minimum_should_match', 'fuzziness', 'slop', 'boost', 'must', 'should', 'filter', 'must_not', 'positive', 'negative', 'negative_boost', 'queries', 'default_field', 'values', 'format', 'time_zone', 'lenient', 'type'];
const STRING_CHARS = ['a', 'b', 'x', ' ', ':', '"', '(', ')', '[', ']', '{', '}', '*', '?', '~', '^', '/', '\\', '-', '+', '!', 'AND', 'OR', 'NOT', 'and', 'or', 'not', 'TO', '>', '<', '=', 'now-1d/d', '2024-05-01', '_exists_', 'message', 'level', '1', '0.5', '&&', '||'];

function makeRandom(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

function randomText(rnd: (n: number) => number): string {
  let out = '';
  const len = rnd(12);
  for (let i = 0; i < len; i++) out += STRING_CHARS[rnd(STRING_CHARS.length)];
  return out;
}

function randomValue(rnd: (n: number) => number, depth: number): unknown {
  switch (rnd(depth > 3 ? 6 : 9)) {
    case 0:
      return randomText(rnd);
    case 1:
      return rnd(100) - 20;
    case 2:
      return rnd(2) === 0;
    case 3:
      return null;
    case 4:
      return FIELDS[rnd(FIELDS.length)];
    case 5:
      return rnd(3) === 0 ? 'AUTO' : 'and';
    case 6:
      return Array.from({ length: rnd(3) }, () => (rnd(2) ? randomQuery(rnd, depth + 1) : randomValue(rnd, depth + 1)));
    case 7:
      return randomQuery(rnd, depth + 1);
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rnd(4); i > 0; i--) o[rnd(2) ? KEYS[rnd(KEYS.length)]! : FIELDS[rnd(FIELDS.length)]!] = randomValue(rnd, depth + 1);
      return o;
    }
  }
}

function randomQuery(rnd: (n: number) => number, depth = 0): unknown {
  const clause = CLAUSES[rnd(CLAUSES.length)]!;
  if (clause === 'query_string' || clause === 'simple_query_string' || clause === 'kql') return { [clause]: { query: randomText(rnd), ...(rnd(2) ? { default_field: FIELDS[rnd(FIELDS.length)] } : {}) } };
  if (rnd(3) === 0) return { [clause]: { [FIELDS[rnd(FIELDS.length)]!]: randomValue(rnd, depth + 1) } };
  return { [clause]: randomValue(rnd, depth + 1) };
}

test('random query bodies and query strings get 200 or an Elasticsearch-shaped 4xx', async (t) => {
  const store = await startTestStore(t);
  const index = uniqueIndex('fuzz');
  const lines = [];
  for (let i = 0; i < 30; i++) lines.push({ index: { _index: index, _id: String(i) } }, { message: `alpha beta ${i} gamma`, level: i % 3 ? 'info' : 'error', n: i, '@timestamp': `2024-05-0${1 + (i % 9)}T00:00:00Z`, tags: ['x', String(i)] });
  await store.bulk(lines, '/_bulk?refresh=true');
  const rnd = makeRandom(Number(process.env.LOGLANE_FUZZ_SEED ?? 20240501));
  const deadline = Date.now() + DURATION_MS;
  let runs = 0;
  const statuses = new Map<number, number>();
  while (Date.now() < deadline) {
    runs++;
    let res: Awaited<ReturnType<typeof store.request>>;
    let sent: string;
    if (rnd(3) === 0) {
      const q = randomText(rnd);
      sent = `q=${q}`;
      res = await store.request('GET', `/${index}/_search?q=${encodeURIComponent(q)}`);
    } else {
      const body: Record<string, unknown> = { query: randomQuery(rnd) };
      if (rnd(4) === 0) body.sort = [{ [FIELDS[rnd(FIELDS.length)]!]: rnd(2) ? 'asc' : 'desc' }];
      sent = JSON.stringify(body);
      res = await store.request('POST', `/${index}/_search`, body);
    }
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `status ${res.status} for ${sent}: ${res.text}`);
    if (res.status !== 200) assert.equal(typeof res.body?.error?.type, 'string', `no error type for ${sent}: ${res.text}`);
    else assert.ok(Array.isArray(res.body.hits.hits), sent);
  }
  assert.ok(runs > 20, `only ${runs} runs`);
  assert.ok((statuses.get(200) ?? 0) > 0 && [...statuses.keys()].some((s) => s >= 400), `statuses ${JSON.stringify([...statuses])}`);
});
