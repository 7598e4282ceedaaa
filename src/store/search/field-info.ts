/** `_field_caps` and `GET _mapping/field/{fields}`: what the mappings of the searched indices say about fields. */
import type { Engine } from '../engine/engine.ts';
import type { ResolveOptions } from '../engine/resolve.ts';
import { TEXT_TYPES } from '../mapping/types.ts';

function matcher(patterns: string[]): (name: string) => boolean {
  const regexes = patterns.map((p) => new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (name) => regexes.some((r) => r.test(name));
}

export function fieldCapsOp(engine: Engine, expression: string | undefined, fields: string[], options: ResolveOptions): Record<string, unknown> {
  const indices = engine.resolve(expression, options);
  const match = matcher(fields);
  const byField = new Map<string, Map<string, string[]>>();
  const add = (field: string, type: string, index: string) => {
    const types = byField.get(field) ?? new Map<string, string[]>();
    types.set(type, [...(types.get(type) ?? []), index]);
    byField.set(field, types);
  };
  for (const index of indices) {
    for (const [path, leaf] of index.mapping.leaves) if (match(path)) add(path, leaf.type, index.name);
    for (const path of index.mapping.objects.keys()) if (path && match(path)) add(path, 'object', index.name);
    for (const meta of ['_id', '_index']) if (match(meta)) add(meta, meta, index.name);
  }
  const out: Record<string, unknown> = {};
  for (const [field, types] of [...byField].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const entry: Record<string, unknown> = {};
    for (const [type, names] of types) {
      const meta = type === '_id' || type === '_index';
      const caps: Record<string, unknown> = {
        type,
        metadata_field: meta,
        searchable: type !== 'object',
        aggregatable: type !== 'object' && !TEXT_TYPES.has(type) && type !== '_id',
      };
      if (types.size > 1) caps.indices = names;
      entry[type] = caps;
    }
    out[field] = entry;
  }
  return { indices: indices.map((i) => i.name), fields: out };
}

export function fieldMappingOp(engine: Engine, expression: string | undefined, fields: string[], options: ResolveOptions): Record<string, unknown> {
  const indices = engine.resolve(expression, options);
  const match = matcher(fields);
  const out: Record<string, unknown> = {};
  for (const index of indices) {
    const mappings: Record<string, unknown> = {};
    for (const [path, leaf] of index.mapping.leaves) {
      if (!match(path)) continue;
      const name = path.slice(path.lastIndexOf('.') + 1);
      mappings[path] = { full_name: path, mapping: { [name]: leaf.def } };
    }
    out[index.name] = { mappings };
  }
  return out;
}
