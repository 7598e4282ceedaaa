/**
 * Single- and multi-filter buckets: `filter` (one query), `filters` (named or anonymous
 * queries, an optional `other_bucket` for documents no filter matched) and `missing`
 * (documents without a value). Queries are matched by the search layer
 * (`AggSource.filter`); the buckets only count and nest.
 */
import { consumeBuckets, type Kind, fieldOf, type RunContext } from './common.ts';
import type { AggNode } from './parse.ts';

const MISSING_KINDS: ReadonlySet<Kind> = new Set(['keyword', 'long', 'double', 'date', 'boolean', 'ip', 'other']);

export function runFilter(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  const matched = ctx.source.filter(node.spec.query, positions);
  return { doc_count: matched.length, ...ctx.run(node.subs, matched) };
}

export function runMissing(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  const ref = fieldOf(ctx, node, MISSING_KINDS);
  const column = ref.column;
  let matched: Int32Array;
  if (!column) matched = positions;
  else {
    const out: number[] = [];
    for (let i = 0; i < positions.length; i++) {
      const v = column.get(positions[i]!);
      if (v === undefined || (typeof v === 'object' && v.length === 0)) out.push(positions[i]!);
    }
    matched = Int32Array.from(out);
  }
  return { doc_count: matched.length, ...ctx.run(node.subs, matched) };
}

export function runFilters(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  const filters = node.spec.filters as { key: string | undefined; query: unknown }[];
  const named = node.spec.named as boolean;
  const keyed = node.spec.keyed as boolean;
  const otherBucket = node.spec.otherBucket as boolean;
  const otherKey = node.spec.otherKey as string;
  consumeBuckets(ctx, filters.length + (otherBucket ? 1 : 0));
  // Documents some filter matched: a byte per document of the source, or a set when this bucket is small.
  const small = positions.length * 16 < ctx.source.size;
  const marks = otherBucket && !small ? new Uint8Array(ctx.source.size) : undefined;
  const set = otherBucket && small ? new Set<number>() : undefined;
  const buckets: { key: string | undefined; positions: Int32Array }[] = filters.map((f) => {
    const matched = ctx.source.filter(f.query, positions);
    if (marks) for (let i = 0; i < matched.length; i++) marks[matched[i]!] = 1;
    if (set) for (let i = 0; i < matched.length; i++) set.add(matched[i]!);
    return { key: f.key, positions: matched };
  });
  if (otherBucket) {
    const rest: number[] = [];
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      if (marks ? !marks[p] : !set!.has(p)) rest.push(p);
    }
    buckets.push({ key: named ? otherKey : undefined, positions: Int32Array.from(rest) });
  }
  const render = (b: { key: string | undefined; positions: Int32Array }, withKey: boolean) => ({
    ...(withKey && b.key !== undefined ? { key: b.key } : {}),
    doc_count: b.positions.length,
    ...ctx.run(node.subs, b.positions),
  });
  if (keyed) return { buckets: Object.fromEntries(buckets.map((b) => [b.key!, render(b, false)])) };
  return { buckets: buckets.map((b) => render(b, named)) };
}
