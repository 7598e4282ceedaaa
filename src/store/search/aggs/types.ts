/**
 * The boundary between search execution and aggregations. Search hands the
 * aggregation module the matching documents as dense positions 0..size-1 and a way to
 * read each field's values for a position; aggregations never touch SQLite directly.
 * Execution may answer common shapes (date_histogram + terms over a time range) by
 * itself in SQL and only fall back to this path for the rest.
 */
export type AggScalar = string | number | boolean;

export interface AggColumn {
  /** The mapped type (`keyword`, `long`, `double`, `date`, `boolean`, `ip`, `text`, ...). */
  readonly type: string;
  /**
   * Values of the document at `position`: undefined when missing, one scalar, or an
   * array when multi-valued. Dates are epoch milliseconds, booleans are booleans,
   * keywords and ips are strings.
   */
  get(position: number): AggScalar | readonly AggScalar[] | undefined;
  /** How a date column formats a key (`key_as_string`); absent for other types. */
  formatDate?(epochMillis: number, format?: string, timeZone?: string): string;
}

export interface AggSource {
  /** Number of matching documents (positions are 0..size-1). */
  readonly size: number;
  /** The column of a field, or undefined when the field is not mapped (or not aggregatable). */
  column(field: string): AggColumn | undefined;
  /** Positions among `positions` that match a query-DSL object (for `filter` / `filters`). */
  filter(query: unknown, positions: Int32Array): Int32Array;
  /** Rendered hits (as in `hits.hits`) for `top_hits`, given its options (size, sort, _source, from). */
  hits(positions: Int32Array, options: Record<string, unknown>): { total: number; hits: unknown[]; maxScore: number | null };
  /**
   * Every distinct value `field` has in the searched indices, matching or not. Optional:
   * only `terms` with `min_doc_count: 0` asks, to list terms with no matching document.
   */
  terms?(field: string): Iterable<AggScalar>;
  /** `search.max_buckets` (default 65536): exceeding it is a `too_many_buckets_exception`. */
  readonly maxBuckets: number;
  /** The index searched, for the messages that name it (Fielddata is disabled on [f] in [index]); optional. */
  readonly indexName?: string;
  /** The time `now` resolves to in date math (one value for the whole request). */
  readonly now: number;
}
