/**
 * Micro-benchmark of the aggregation module alone (no SQLite): 1M synthetic log
 * documents over 30 days in typed-array columns, `date_histogram` 1h + `terms` on a
 * 5-value keyword, as siblings and nested, plus variants. Prints the median of rounds.
 *
 *   node test/store/search/aggs/bench-aggs.ts [docs] [rounds]
 */
import { runAggregations } from '../../../../src/store/search/aggs/index.ts';
import type { AggColumn, AggSource } from '../../../../src/store/search/aggs/types.ts';

const docs = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 7);
const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const start = Date.UTC(2024, 4, 1);
const span = 30 * 86_400_000;
const ts = new Float64Array(docs);
const level = new Uint8Array(docs);
const bytes = new Float64Array(docs);
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
for (let i = 0; i < docs; i++) {
  ts[i] = start + Math.floor((i / docs) * span);
  const r = rand();
  level[i] = r < 0.6 ? 1 : r < 0.8 ? 0 : r < 0.93 ? 2 : r < 0.99 ? 3 : 4;
  bytes[i] = Math.floor(rand() * 10_000);
}
const columns: Record<string, AggColumn> = {
  '@timestamp': { type: 'date', get: (p) => ts[p] },
  level: { type: 'keyword', get: (p) => LEVELS[level[p]!] },
  bytes: { type: 'long', get: (p) => bytes[p] },
};
const source: AggSource = {
  size: docs,
  maxBuckets: 65536,
  now: Date.now(),
  column: (f) => columns[f],
  filter: () => new Int32Array(0),
  hits: () => ({ total: 0, hits: [], maxScore: null }),
};
const sorted = Int32Array.from({ length: docs }, (_, i) => i);
const shuffled = sorted.slice();
for (let i = shuffled.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
}

const scenarios: [string, Record<string, unknown>, Int32Array][] = [
  [
    'date_histogram 1h + terms(level), siblings',
    { h: { date_histogram: { field: '@timestamp', fixed_interval: '1h' } }, t: { terms: { field: 'level' } } },
    sorted,
  ],
  [
    'date_histogram 1h → terms(level) (Grafana shape)',
    { h: { date_histogram: { field: '@timestamp', fixed_interval: '1h' }, aggs: { t: { terms: { field: 'level' } } } } },
    sorted,
  ],
  ['date_histogram 1h → avg(bytes)', { h: { date_histogram: { field: '@timestamp', fixed_interval: '1h' }, aggs: { a: { avg: { field: 'bytes' } } } } }, sorted],
  ['date_histogram 1h + terms(level), shuffled positions', { h: { date_histogram: { field: '@timestamp', fixed_interval: '1h' } }, t: { terms: { field: 'level' } } }, shuffled],
  ['date_histogram calendar hour, Europe/Berlin', { h: { date_histogram: { field: '@timestamp', calendar_interval: 'hour', time_zone: 'Europe/Berlin' } } }, sorted],
  ['date_histogram calendar hour, Europe/Berlin, shuffled', { h: { date_histogram: { field: '@timestamp', calendar_interval: 'hour', time_zone: 'Europe/Berlin' } } }, shuffled],
  ['percentiles(bytes)', { p: { percentiles: { field: 'bytes' } } }, sorted],
];

for (const [name, aggs, positions] of scenarios) {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    runAggregations(aggs, source, positions);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(58)} docs=${docs} median=${times[Math.floor(times.length / 2)]!.toFixed(1)} ms min=${times[0]!.toFixed(1)} ms`);
}
