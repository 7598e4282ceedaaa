/**
 * Metric aggregations: avg, sum, min, max, value_count, cardinality, stats,
 * extended_stats, percentiles and top_hits, rendered as Elasticsearch 8 renders them.
 *
 * Sums use Kahan summation as Elasticsearch's CompensatedSum does. `cardinality` is exact
 * (a set of the distinct values) where Elasticsearch's HyperLogLog++ is exact only below
 * `precision_threshold`. `percentiles` are exact: sorted values with linear interpolation
 * at `q * (n - 1)`, which is what Elasticsearch 8.9+'s t-digest answers while it still
 * holds every value (small and medium sets); on large sets Elasticsearch approximates.
 */
import { parseDateValue } from './dates.ts';
import { ANY_KINDS, type FieldRef, fieldOf, NUMERIC_KINDS, numericMissing, type RunContext, toNumber, valueFormatter } from './common.ts';
import type { AggNode } from './parse.ts';
import { javaDouble } from './values.ts';
import type { AggScalar } from './types.ts';

/** Calls `fn` with every numeric value of the documents at `positions` (the `missing` value for documents without one). */
function scanNumbers(ref: FieldRef, missing: number | undefined, positions: Int32Array, fn: (v: number) => void): void {
  const column = ref.column;
  if (!column) {
    if (missing !== undefined) for (let i = 0; i < positions.length; i++) fn(missing);
    return;
  }
  for (let i = 0; i < positions.length; i++) {
    const v = column.get(positions[i]!);
    if (v === undefined) {
      if (missing !== undefined) fn(missing);
    } else if (typeof v === 'object') {
      for (const x of v) {
        const n = toNumber(x);
        if (!Number.isNaN(n)) fn(n);
      }
    } else {
      const n = toNumber(v);
      if (!Number.isNaN(n)) fn(n);
    }
  }
}

function numericField(ctx: RunContext, node: AggNode): { ref: FieldRef; missing: number | undefined } {
  const ref = fieldOf(ctx, node, NUMERIC_KINDS);
  const missing = numericMissing(ref, node.body.missing, (v) => parseDateValue(v, ctx.source.now, node.body.format as string | undefined));
  return { ref, missing };
}

class KahanSum {
  sum = 0;
  private c = 0;
  add(v: number): void {
    if (!Number.isFinite(v)) {
      this.sum += v;
      return;
    }
    const y = v - this.c;
    const t = this.sum + y;
    this.c = t - this.sum - y;
    this.sum = t;
  }
}

interface Moments {
  count: number;
  sum: number;
  min: number;
  max: number;
  sumOfSquares: number;
}

function moments(ref: FieldRef, missing: number | undefined, positions: Int32Array, squares: boolean): Moments {
  const sum = new KahanSum();
  const sq = new KahanSum();
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  scanNumbers(ref, missing, positions, (v) => {
    count++;
    sum.add(v);
    if (squares) sq.add(v * v);
    if (v < min) min = v;
    if (v > max) max = v;
  });
  return { count, sum: sum.sum, min, max, sumOfSquares: sq.sum };
}

export function runMetric(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  switch (node.type) {
    case 'avg':
    case 'sum':
    case 'min':
    case 'max': {
      const { ref, missing } = numericField(ctx, node);
      const m = moments(ref, missing, positions, false);
      const format = valueFormatter(ref, node.body.format as string | undefined);
      let value: number | null;
      if (node.type === 'avg') value = m.count ? m.sum / m.count : null;
      else if (node.type === 'sum') value = m.sum;
      else if (node.type === 'min') value = m.count ? m.min : null;
      else value = m.count ? m.max : null;
      const out: Record<string, unknown> = { value };
      if (format && value !== null) out.value_as_string = format(value);
      return out;
    }
    case 'value_count':
      return { value: countValues(ctx, node, positions) };
    case 'cardinality':
      return { value: distinctValues(ctx, node, positions) };
    case 'stats':
    case 'extended_stats':
      return stats(ctx, node, positions);
    case 'percentiles':
      return percentiles(ctx, node, positions);
    case 'top_hits':
      return topHits(ctx, node, positions);
  }
  throw new Error(`not a metric: ${node.type}`);
}

function anyField(ctx: RunContext, node: AggNode): { ref: FieldRef; missing: AggScalar | undefined } {
  const ref = fieldOf(ctx, node, ANY_KINDS);
  const raw = node.body.missing;
  let missing: AggScalar | undefined;
  if (raw !== undefined && raw !== null) {
    if (ref.kind === 'date' || ref.kind === 'long' || ref.kind === 'double' || ref.kind === 'boolean') {
      missing = numericMissing(ref, raw, (v) => parseDateValue(v, ctx.source.now, node.body.format as string | undefined));
    } else missing = typeof raw === 'object' ? JSON.stringify(raw) : (raw as AggScalar);
  }
  return { ref, missing };
}

function countValues(ctx: RunContext, node: AggNode, positions: Int32Array): number {
  const { ref, missing } = anyField(ctx, node);
  const column = ref.column;
  if (!column) return missing === undefined ? 0 : positions.length;
  let n = 0;
  for (let i = 0; i < positions.length; i++) {
    const v = column.get(positions[i]!);
    if (v === undefined) {
      if (missing !== undefined) n++;
    } else if (typeof v === 'object') n += ref.kind === 'keyword' || ref.kind === 'ip' ? new Set(v).size : v.length;
    else n++;
  }
  return n;
}

function distinctValues(ctx: RunContext, node: AggNode, positions: Int32Array): number {
  const { ref, missing } = anyField(ctx, node);
  const column = ref.column;
  const seen = new Set<AggScalar>();
  const norm = (v: AggScalar) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
  if (!column) return missing === undefined || positions.length === 0 ? 0 : 1;
  for (let i = 0; i < positions.length; i++) {
    const v = column.get(positions[i]!);
    if (v === undefined) {
      if (missing !== undefined) seen.add(norm(missing));
    } else if (typeof v === 'object') for (const x of v) seen.add(norm(x));
    else seen.add(norm(v));
  }
  return seen.size;
}

function stats(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  const { ref, missing } = numericField(ctx, node);
  const extended = node.type === 'extended_stats';
  const m = moments(ref, missing, positions, extended);
  const format = valueFormatter(ref, node.body.format as string | undefined);
  const out: Record<string, unknown> = {
    count: m.count,
    min: m.count ? m.min : null,
    max: m.count ? m.max : null,
    avg: m.count ? m.sum / m.count : null,
    sum: m.sum,
  };
  if (format && m.count) {
    out.min_as_string = format(m.min);
    out.max_as_string = format(m.max);
    out.avg_as_string = format(m.sum / m.count);
    out.sum_as_string = format(m.sum);
  }
  if (!extended) return out;
  const sigma = node.spec.sigma as number;
  if (m.count === 0) {
    for (const k of ['sum_of_squares', 'variance', 'variance_population', 'variance_sampling', 'std_deviation', 'std_deviation_population', 'std_deviation_sampling']) out[k] = null;
    out.std_deviation_bounds = { upper: null, lower: null, upper_population: null, lower_population: null, upper_sampling: null, lower_sampling: null };
    return out;
  }
  const avg = m.sum / m.count;
  const population = Math.max(0, (m.sumOfSquares - (m.sum * m.sum) / m.count) / m.count);
  const sampling = m.count > 1 ? Math.max(0, (m.sumOfSquares - (m.sum * m.sum) / m.count) / (m.count - 1)) : Number.NaN;
  const sdPopulation = Math.sqrt(population);
  const sdSampling = Math.sqrt(sampling);
  out.sum_of_squares = m.sumOfSquares;
  out.variance = population;
  out.variance_population = population;
  out.variance_sampling = javaNumber(sampling);
  out.std_deviation = sdPopulation;
  out.std_deviation_population = sdPopulation;
  out.std_deviation_sampling = javaNumber(sdSampling);
  out.std_deviation_bounds = {
    upper: avg + sigma * sdPopulation,
    lower: avg - sigma * sdPopulation,
    upper_population: avg + sigma * sdPopulation,
    lower_population: avg - sigma * sdPopulation,
    upper_sampling: javaNumber(avg + sigma * sdSampling),
    lower_sampling: javaNumber(avg - sigma * sdSampling),
  };
  if (format) {
    out.sum_of_squares_as_string = format(m.sumOfSquares);
    out.variance_as_string = format(population);
    out.variance_population_as_string = format(population);
    out.variance_sampling_as_string = format(sampling);
    out.std_deviation_as_string = format(sdPopulation);
    out.std_deviation_population_as_string = format(sdPopulation);
    out.std_deviation_sampling_as_string = format(sdSampling);
    out.std_deviation_bounds_as_string = {
      upper: format(avg + sigma * sdPopulation),
      lower: format(avg - sigma * sdPopulation),
      upper_population: format(avg + sigma * sdPopulation),
      lower_population: format(avg - sigma * sdPopulation),
      upper_sampling: format(avg + sigma * sdSampling),
      lower_sampling: format(avg - sigma * sdSampling),
    };
  }
  return out;
}

/** Elasticsearch prints NaN and infinities as strings ("NaN"): JSON has no such numbers. */
function javaNumber(v: number): number | string {
  return Number.isFinite(v) ? v : javaDouble(v);
}

function percentiles(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  const { ref, missing } = numericField(ctx, node);
  let values = new Float64Array(Math.max(16, positions.length));
  let n = 0;
  scanNumbers(ref, missing, positions, (v) => {
    if (n === values.length) {
      const bigger = new Float64Array(values.length * 2);
      bigger.set(values);
      values = bigger;
    }
    values[n++] = v;
  });
  const sorted = values.subarray(0, n).sort();
  const format = valueFormatter(ref, node.body.format as string | undefined);
  const percents = node.spec.percents as number[];
  const keyed = node.spec.keyed as boolean;
  const quantile = (p: number): number | null => {
    if (n === 0) return null;
    const index = (p / 100) * (n - 1);
    if (index <= 0) return sorted[0]!;
    if (index >= n - 1) return sorted[n - 1]!;
    const low = Math.floor(index);
    const weight = index - low;
    return sorted[low]! + weight * (sorted[low + 1]! - sorted[low]!);
  };
  if (keyed) {
    const out: Record<string, unknown> = {};
    for (const p of percents) {
      const key = javaDouble(p);
      const v = quantile(p);
      out[key] = v;
      if (format && v !== null) out[`${key}_as_string`] = format(v);
    }
    return { values: out };
  }
  return {
    values: percents.map((p) => {
      const v = quantile(p);
      const entry: Record<string, unknown> = { key: p, value: v };
      if (format && v !== null) entry.value_as_string = format(v);
      return entry;
    }),
  };
}

function topHits(ctx: RunContext, node: AggNode, positions: Int32Array): Record<string, unknown> {
  const options = node.spec.options as Record<string, unknown>;
  const result = ctx.source.hits(positions, options);
  return { hits: { total: { value: result.total, relation: 'eq' }, max_score: result.maxScore, hits: result.hits } };
}

