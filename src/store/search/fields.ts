/**
 * `fields` and `docvalue_fields` of a hit: values of mapped fields (patterns allowed)
 * read from `_source` and normalized by their mapping — dates formatted (the field's
 * format, or the request's `format`), numbers as numbers, multi-fields from their parent.
 */
import type { IndexDb } from '../engine/index-db.ts';
import { parsingError } from '../errors.ts';
import { DATE_TYPES, FLOAT_TYPES, INTEGER_TYPES, OBJECT_TYPES } from '../mapping/types.ts';
import { valuesAt } from '../mapping/values.ts';
import { dateFormatter, UTC } from './aggs/dates.ts';

interface FieldSpec {
  field: string;
  format?: string;
}

function specs(value: unknown, name: string): FieldSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw parsingError(`[${name}] must be an array`);
  return value.map((v) => {
    if (typeof v === 'string') return { field: v };
    if (typeof v === 'object' && v !== null && typeof (v as FieldSpec).field === 'string') return v as FieldSpec;
    throw parsingError(`[${name}] entries must be a field name or an object with [field]`);
  });
}

export function renderFields(index: IndexDb, source: unknown, fields: unknown, docvalueFields: unknown): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const spec of [...specs(fields, 'fields'), ...specs(docvalueFields, 'docvalue_fields')]) {
    const regex = spec.field.includes('*') ? new RegExp(`^${spec.field.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`) : null;
    const paths = regex ? [...index.mapping.leaves.keys()].filter((p) => regex.test(p)) : [spec.field];
    for (const path of paths) {
      const leaf = index.mapping.leaf(path);
      if (!leaf || OBJECT_TYPES.has(leaf.type)) continue;
      const raw = valuesAt(source, leaf.multiOf ?? path);
      const values: unknown[] = [];
      for (const v of raw) {
        if (typeof v === 'object' && v !== null) continue;
        if (DATE_TYPES.has(leaf.type)) {
          const millis = leaf.parseDate?.(v as string | number) ?? null;
          if (millis === null) continue;
          const format = spec.format ?? (leaf.def.format as string | undefined);
          values.push(dateFormatter(format === undefined || format.startsWith('strict_date_optional_time') ? undefined : format)(millis, UTC));
        } else if (leaf.type in INTEGER_TYPES || FLOAT_TYPES.has(leaf.type)) {
          const n = Number(v);
          if (Number.isFinite(n)) values.push(leaf.type in INTEGER_TYPES ? Math.trunc(n) : n);
        } else if (leaf.type === 'boolean') values.push(v === true || v === 'true');
        else {
          const text = String(v);
          const ignoreAbove = leaf.def.ignore_above as number | undefined;
          if (ignoreAbove !== undefined && text.length > ignoreAbove) continue;
          values.push(text);
        }
      }
      if (values.length > 0) out[path] = values;
    }
  }
  return out;
}
