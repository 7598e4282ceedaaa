/**
 * `range` and `date_range`: `from` inclusive, `to` exclusive, buckets sorted by (from, to)
 * as Elasticsearch sorts them, keys `from-to` with `*` for an open end (numbers printed as
 * Java doubles, dates in the aggregation's format), date math (`now-1M/M`,
 * `2024-05-01||+1M`) and `time_zone` in date_range.
 */
import type { Zone } from 'luxon';
import { consumeBuckets, dateKeyFormatter, decimalFormatter, fieldOf, type Kind, numericMissing, type RunContext, toNumber } from './common.ts';
import { parseDateValue } from './dates.ts';
import { shardIllegalArgument } from './errors.ts';
import type { RangeSpec } from './options.ts';
import type { AggNode } from './parse.ts';
import { javaDouble } from './values.ts';

const RANGE_KINDS: ReadonlySet<Kind> = new Set(['long', 'double', 'date', 'boolean']);
const DATE_RANGE_KINDS: ReadonlySet<Kind> = new Set(['date', 'long', 'double']);

interface ResolvedRange {
  key: string | undefined;
  from: number;
  to: number;
  count: number;
  positions: number[];
}

export function runRange(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  const spec = node.spec as unknown as RangeSpec;
  const isDateRange = node.type === 'date_range';
  const ref = fieldOf(ctx, node, isDateRange ? DATE_RANGE_KINDS : RANGE_KINDS);
  const dates = isDateRange || ref.kind === 'date';
  const zone = spec.zone as Zone;
  const format = spec.format;
  const readEnd = (value: unknown, roundUp: boolean): number | undefined => {
    if (value === undefined || value === null) return undefined;
    if (dates) {
      const t = parseDateValue(value, ctx.source.now, format, zone, roundUp);
      if (t === null) throw shardIllegalArgument(`failed to parse date field [${String(value)}] with format [${format ?? 'strict_date_optional_time||epoch_millis'}]`);
      return t;
    }
    if (typeof value === 'number') return value;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    if (Number.isNaN(n)) throw shardIllegalArgument(`For input string: "${typeof value === 'string' ? value : JSON.stringify(value)}"`);
    return n;
  };
  const ranges: ResolvedRange[] = spec.ranges.map((r) => ({
    key: r.key,
    from: readEnd(r.from, false) ?? Number.NEGATIVE_INFINITY,
    to: readEnd(r.to, false) ?? Number.POSITIVE_INFINITY,
    count: 0,
    positions: [],
  }));
  ranges.sort((a, b) => a.from - b.from || a.to - b.to);
  const missing = numericMissing(ref, spec.missing, (v) => parseDateValue(v, ctx.source.now, format, zone));
  const column = ref.column;
  const wantPositions = node.subs.length > 0;
  const froms = Float64Array.from(ranges, (r) => r.from);
  const tos = Float64Array.from(ranges, (r) => r.to);
  const counts = new Float64Array(ranges.length);
  const n = ranges.length;
  const hit = new Uint8Array(n);
  const mark = (v: number) => {
    for (let r = 0; r < n; r++) if (v >= froms[r]! && v < tos[r]!) hit[r] = 1;
  };
  for (let i = 0; i < positions.length; i++) {
    const raw = column ? column.get(positions[i]!) : undefined;
    if (raw === undefined) {
      if (missing === undefined) continue;
      mark(missing);
    } else if (typeof raw === 'object') {
      for (const x of raw) mark(toNumber(x));
    } else mark(typeof raw === 'number' ? raw : toNumber(raw));
    for (let r = 0; r < n; r++) {
      if (!hit[r]) continue;
      hit[r] = 0;
      counts[r]!++;
      if (wantPositions) ranges[r]!.positions.push(positions[i]!);
    }
  }
  for (let r = 0; r < n; r++) ranges[r]!.count = counts[r]!;
  consumeBuckets(ctx, ranges.length);

  const fmt = dates ? dateKeyFormatter(ref, format, zone) : format !== undefined ? decimalFormatter(format) : undefined;
  const endString = (v: number) => (fmt ? fmt(v) : javaDouble(v));
  const buckets = ranges.map((r) => {
    const key = r.key ?? `${Number.isFinite(r.from) ? endString(r.from) : '*'}-${Number.isFinite(r.to) ? endString(r.to) : '*'}`;
    const body: Record<string, unknown> = spec.keyed ? {} : { key };
    if (Number.isFinite(r.from)) {
      body.from = r.from;
      if (fmt) body.from_as_string = fmt(r.from);
    }
    if (Number.isFinite(r.to)) {
      body.to = r.to;
      if (fmt) body.to_as_string = fmt(r.to);
    }
    body.doc_count = r.count;
    if (node.subs.length) Object.assign(body, ctx.run(node.subs, Int32Array.from(r.positions)));
    return { key, body };
  });
  if (spec.keyed) return { buckets: Object.fromEntries(buckets.map((b) => [b.key, b.body])) };
  return { buckets: buckets.map((b) => b.body) };
}
