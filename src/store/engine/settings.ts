/**
 * Index settings as Elasticsearch keeps them: flat `index.*` keys with string values,
 * accepted nested or flat, with or without the `index.` prefix, shown nested.
 */
import { illegalArgument } from '../errors.ts';

export type Settings = Record<string, string | string[]>;

/** Settings this store acts on or that clients read; all others are stored and shown as given. */
export const DEFAULT_SETTINGS: Settings = {
  'index.number_of_shards': '1',
  'index.number_of_replicas': '0',
  'index.refresh_interval': '1s',
  'index.translog.durability': 'request',
  'index.mapping.total_fields.limit': '1000',
};

/** Settings that cannot change once the index exists. */
const STATIC_SETTINGS = new Set(['index.number_of_shards', 'index.routing_partition_size', 'index.codec', 'index.sort.field', 'index.sort.order', 'index.mode']);

/** Flattens `{index:{number_of_shards:1}}` / `{number_of_shards:1}` / `{"index.number_of_shards":"1"}` into `{"index.number_of_shards":"1"}`. */
export function flattenSettings(input: unknown): Settings {
  const out: Settings = {};
  if (input === undefined || input === null) return out;
  if (typeof input !== 'object' || Array.isArray(input)) throw illegalArgument('settings must be an object');
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, path);
      else {
        const full = path.startsWith('index.') ? path : `index.${path}`;
        out[full] = Array.isArray(value) ? value.map(String) : value === null ? 'null' : String(value);
      }
    }
  };
  walk(input as Record<string, unknown>, '');
  return out;
}

export function validateSettings(settings: Settings): void {
  const shards = settings['index.number_of_shards'];
  if (shards !== undefined && !(Number(shards) >= 1 && Number.isInteger(Number(shards)))) {
    throw illegalArgument(`Failed to parse value [${shards}] for setting [index.number_of_shards] must be >= 1`);
  }
  const replicas = settings['index.number_of_replicas'];
  if (replicas !== undefined && !(Number(replicas) >= 0 && Number.isInteger(Number(replicas)))) {
    throw illegalArgument(`Failed to parse value [${replicas}] for setting [index.number_of_replicas] must be >= 0`);
  }
  const durability = settings['index.translog.durability'];
  if (durability !== undefined && !['request', 'async', 'REQUEST', 'ASYNC'].includes(String(durability))) {
    throw illegalArgument(`No enum constant org.elasticsearch.index.translog.Translog.Durability.${String(durability).toUpperCase()}`);
  }
  const limit = settings['index.mapping.total_fields.limit'];
  if (limit !== undefined && !(Number(limit) >= 0)) throw illegalArgument(`Failed to parse value [${limit}] for setting [index.mapping.total_fields.limit]`);
}

/** Checks an update of an existing index's settings. */
export function validateSettingsUpdate(current: Settings, update: Settings): void {
  validateSettings(update);
  const changed = Object.keys(update).filter((k) => STATIC_SETTINGS.has(k) && update[k] !== current[k]);
  if (changed.length) throw illegalArgument(`Can't update non dynamic settings [[${changed.join(', ')}]] for open indices [[${current['index.provided_name'] ?? ''}]]`);
}

/** The nested form `GET _settings` shows. */
export function nestSettings(settings: Settings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(settings).sort()) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = settings[key];
  }
  return out;
}

export function durationMs(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const m = /^(-?\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)?$/.exec(value.trim());
  if (!m) return fallback;
  const n = Number(m[1]);
  const unit = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms']!;
  return n * unit;
}
