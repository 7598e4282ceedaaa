/**
 * The `terms` aggregation, as one Elasticsearch shard computes it and the coordinating
 * node reduces it: every term counted in one pass over the positions (ordinals in a map,
 * counts in an array, a document counted once per term), sorted by `order` with ties on
 * the key, the top `shard_size` kept, then `min_doc_count` and `size` applied;
 * `sum_other_doc_count` is what the returned buckets leave out. One shard means no
 * counting error: `doc_count_error_upper_bound` is 0.
 */
import { ANY_KINDS, type Bucket, consumeBuckets, fieldOf, Grouping, grow, numericMissing, type RunContext, sortBuckets, subResults, valueFormatter } from './common.ts';
import { parseDateValue } from './dates.ts';
import { shardIllegalArgument } from './errors.ts';
import type { Matcher, OrderSpec } from './options.ts';
import type { AggNode } from './parse.ts';
import type { AggScalar } from './types.ts';

export function runTerms(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  const spec = node.spec;
  const ref = fieldOf(ctx, node, ANY_KINDS);
  const numeric = ref.kind === 'long' || ref.kind === 'double' || ref.kind === 'date' || ref.kind === 'boolean';
  const format = node.body.format as string | undefined;
  const include = spec.include as Matcher | undefined;
  const exclude = spec.exclude as Matcher | undefined;
  if (numeric && (include?.regex || exclude?.regex)) {
    throw shardIllegalArgument(
      `Aggregation [${node.name}] cannot support regular expression style include/exclude settings as they can only be applied to string fields. Use an array of values for include/exclude clauses`,
    );
  }
  let missing: AggScalar | undefined;
  const rawMissing = spec.missing;
  if (rawMissing !== undefined && rawMissing !== null) {
    if (numeric) missing = numericMissing(ref, rawMissing, (v) => parseDateValue(v, ctx.source.now, format));
    else missing = typeof rawMissing === 'object' ? JSON.stringify(rawMissing) : String(rawMissing);
  }

  // One pass: term → ordinal, documents → ordinals.
  const ordOf = new Map<AggScalar, number>();
  const keys: AggScalar[] = [];
  const needPositions = node.subs.length > 0;
  const grouping = needPositions ? new Grouping(positions.length) : undefined;
  let counts: Float64Array<ArrayBuffer> = new Float64Array(64);
  const column = ref.column;
  const ordinal = (v: AggScalar): number => {
    const key = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    let o = ordOf.get(key);
    if (o === undefined) {
      o = keys.length;
      ordOf.set(key, o);
      keys.push(key);
      if (o === counts.length) counts = grow(counts);
    }
    return o;
  };
  const seen: number[] = [];
  for (let i = 0; i < positions.length; i++) {
    const v = column ? column.get(positions[i]!) : undefined;
    if (v === undefined) {
      if (missing === undefined) continue;
      const o = ordinal(missing);
      if (grouping) grouping.add(i, o);
      else counts[o]!++;
    } else if (typeof v === 'object') {
      seen.length = 0;
      for (const x of v) {
        const o = ordinal(x);
        if (seen.includes(o)) continue;
        seen.push(o);
        if (grouping) grouping.add(i, o);
        else counts[o]!++;
      }
    } else {
      const o = ordinal(v);
      if (grouping) grouping.add(i, o);
      else counts[o]!++;
    }
  }
  const docCounts = grouping ? grouping.counts(keys.length) : counts.subarray(0, keys.length);
  const subsets = grouping ? grouping.subsets(positions, docCounts) : undefined;

  const minDocCount = spec.minDocCount as number;
  const candidates: Bucket[] = [];
  for (let o = 0; o < keys.length; o++) {
    const key = keys[o]!;
    if (!accepts(key, include, exclude, numeric)) continue;
    candidates.push({ key: key as string | number, sortKey: key as string | number, docCount: docCounts[o]!, positions: subsets?.[o] });
  }
  if (minDocCount === 0 && ctx.source.terms && column) {
    for (const raw of ctx.source.terms(ref.field)) {
      const key = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
      if (ordOf.has(key) || !accepts(key, include, exclude, numeric)) continue;
      ordOf.set(key, -1);
      candidates.push({ key, sortKey: key, docCount: 0, positions: new Int32Array(0) });
    }
  }

  let other = 0;
  for (const b of candidates) other += b.docCount;
  const order = spec.order as OrderSpec[];
  sortBuckets(ctx, node, candidates, order);
  const shardTop = candidates.slice(0, spec.shardSize as number);
  for (const b of shardTop) other -= b.docCount;
  const selected: Bucket[] = [];
  const size = spec.size as number;
  for (const b of shardTop) {
    if (b.docCount < minDocCount) continue;
    if (selected.length < size) selected.push(b);
    else other += b.docCount;
  }
  consumeBuckets(ctx, selected.length);

  const keyString = numeric ? valueFormatter(ref, format) : undefined;
  const buckets = selected.map((b) => {
    const out: Record<string, unknown> = { key: b.key };
    if (keyString) out.key_as_string = keyString(b.key as number);
    out.doc_count = b.docCount;
    if (spec.showTermDocCountError) out.doc_count_error_upper_bound = 0;
    return Object.assign(out, subResults(ctx, node, b));
  });
  return { doc_count_error_upper_bound: 0, sum_other_doc_count: other, buckets };
}

function accepts(key: AggScalar, include: Matcher | undefined, exclude: Matcher | undefined, numeric: boolean): boolean {
  if (include && !matches(include, key, numeric)) return false;
  if (exclude && matches(exclude, key, numeric)) return false;
  return true;
}

function matches(m: Matcher, key: AggScalar, numeric: boolean): boolean {
  if (m.regex) return m.regex.test(String(key));
  if (!m.values) return false;
  if (!numeric) return m.values.has(String(key));
  for (const v of m.values) if (Number(v) === key) return true;
  return false;
}
