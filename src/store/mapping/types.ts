/** The shapes of mappings as Elasticsearch's REST API reads and writes them. */

export type Dynamic = 'true' | 'false' | 'strict' | 'runtime';

export interface FieldDef {
  type?: string;
  properties?: Record<string, FieldDef>;
  /** Multi-fields (`message.keyword`). */
  fields?: Record<string, FieldDef>;
  dynamic?: boolean | string;
  enabled?: boolean;
  format?: string;
  ignore_above?: number;
  index?: boolean;
  doc_values?: boolean;
  null_value?: unknown;
  coerce?: boolean;
  ignore_malformed?: boolean;
  value?: unknown;
  [key: string]: unknown;
}

export interface DynamicTemplate {
  match_mapping_type?: string | string[];
  unmatch_mapping_type?: string | string[];
  match?: string | string[];
  unmatch?: string | string[];
  path_match?: string | string[];
  path_unmatch?: string | string[];
  match_pattern?: 'simple' | 'regex';
  mapping?: FieldDef;
  runtime?: unknown;
}

export interface MappingDef {
  dynamic?: boolean | string;
  date_detection?: boolean;
  numeric_detection?: boolean;
  dynamic_date_formats?: string[];
  dynamic_templates?: Record<string, DynamicTemplate>[];
  properties?: Record<string, FieldDef>;
  _source?: { enabled?: boolean; includes?: string[]; excludes?: string[]; mode?: string };
  _routing?: { required?: boolean };
  _meta?: Record<string, unknown>;
  _data_stream_timestamp?: { enabled: boolean };
  runtime?: Record<string, unknown>;
  [key: string]: unknown;
}

/** How a leaf field's values are kept for search: an FTS5 column, a typed column, or not at all. */
export type StorageKind = 'text' | 'column' | 'none';

export const TEXT_TYPES = new Set(['text', 'match_only_text', 'search_as_you_type']);
export const KEYWORD_TYPES = new Set(['keyword', 'wildcard', 'constant_keyword', 'version']);
export const INTEGER_TYPES: Record<string, [number, number]> = {
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  integer: [-2147483648, 2147483647],
  short: [-32768, 32767],
  byte: [-128, 127],
  unsigned_long: [0, Number.MAX_SAFE_INTEGER],
};
export const FLOAT_TYPES = new Set(['double', 'float', 'half_float', 'scaled_float']);
export const DATE_TYPES = new Set(['date', 'date_nanos']);
export const OBJECT_TYPES = new Set(['object', 'nested']);
/** Types accepted and kept in _source but not indexed by this store (yet). */
export const STORED_ONLY_TYPES = new Set([
  'geo_point',
  'geo_shape',
  'shape',
  'point',
  'binary',
  'alias',
  'dense_vector',
  'sparse_vector',
  'rank_feature',
  'rank_features',
  'histogram',
  'integer_range',
  'long_range',
  'float_range',
  'double_range',
  'date_range',
  'ip_range',
  'completion',
  'percolator',
  'join',
  'token_count',
  'aggregate_metric_double',
  'semantic_text',
]);

export function isKnownType(type: string): boolean {
  return (
    TEXT_TYPES.has(type) ||
    KEYWORD_TYPES.has(type) ||
    type in INTEGER_TYPES ||
    FLOAT_TYPES.has(type) ||
    DATE_TYPES.has(type) ||
    OBJECT_TYPES.has(type) ||
    STORED_ONLY_TYPES.has(type) ||
    type === 'boolean' ||
    type === 'ip' ||
    type === 'flattened'
  );
}

export function storageKind(type: string): StorageKind {
  if (TEXT_TYPES.has(type)) return 'text';
  if (KEYWORD_TYPES.has(type) || type in INTEGER_TYPES || FLOAT_TYPES.has(type) || DATE_TYPES.has(type) || type === 'boolean' || type === 'ip' || type === 'flattened') {
    return 'column';
  }
  return 'none';
}
