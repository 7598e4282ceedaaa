/**
 * Dynamic mapping as Elasticsearch does it: the mapping a new field gets from the first
 * value seen. Strings become `text` with a `keyword` multi-field (ignore_above 256)
 * unless they look like dates (date_detection, on by default) or numbers
 * (numeric_detection, off by default); whole numbers become `long`, fractions `float`,
 * booleans `boolean`, objects `object`. `dynamic_templates` are tried first, in order.
 */
import { DEFAULT_DYNAMIC_DATE_FORMATS, dateParser } from './dates.ts';
import type { DynamicTemplate, FieldDef, MappingDef } from './types.ts';

/** Elasticsearch's names for what a JSON value looks like (match_mapping_type). */
export type DetectedType = 'string' | 'long' | 'double' | 'boolean' | 'date' | 'object';

export function detectType(root: MappingDef, value: unknown): { detected: DetectedType; dateFormat?: string } | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return { detected: 'boolean' };
  if (typeof value === 'number') return { detected: Number.isInteger(value) ? 'long' : 'double' };
  if (typeof value === 'object') return Array.isArray(value) ? null : { detected: 'object' };
  const text = String(value);
  if (root.date_detection !== false) {
    for (const format of root.dynamic_date_formats ?? DEFAULT_DYNAMIC_DATE_FORMATS) {
      if (dateParser(format)(text) !== null) return { detected: 'date', dateFormat: format };
    }
  }
  if (root.numeric_detection === true) {
    if (/^[+-]?\d+$/.test(text)) return { detected: 'long' };
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return { detected: 'double' };
  }
  return { detected: 'string' };
}

/** The mapping of a new field at `path` (last segment `name`) for its first value, or null if the value maps to nothing. */
export function inferField(root: MappingDef, path: string, name: string, value: unknown): FieldDef | null {
  const detection = detectType(root, value);
  if (!detection) return null;
  const fromTemplate = matchTemplate(root.dynamic_templates, path, name, detection.detected);
  if (fromTemplate) return fromTemplate;
  switch (detection.detected) {
    case 'string':
      return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
    case 'long':
      return { type: 'long' };
    case 'double':
      return { type: 'float' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      if (!isDefaultDynamicFormats(root)) return { type: 'date', format: detection.dateFormat! };
      // Elasticsearch records the slash format it recognized (with epoch_millis) on the field.
      return detection.dateFormat === 'strict_date_optional_time' ? { type: 'date' } : { type: 'date', format: 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis' };
    case 'object':
      return { properties: {} };
  }
}

function isDefaultDynamicFormats(root: MappingDef): boolean {
  return root.dynamic_date_formats === undefined;
}

function matchTemplate(templates: Record<string, DynamicTemplate>[] | undefined, path: string, name: string, detected: DetectedType): FieldDef | null {
  if (!templates) return null;
  for (const entry of templates) {
    const template = Object.values(entry)[0];
    if (!template?.mapping) continue;
    const regex = template.match_pattern === 'regex';
    if (template.match_mapping_type !== undefined && !list(template.match_mapping_type).some((t) => t === '*' || t === detected)) continue;
    if (template.unmatch_mapping_type !== undefined && list(template.unmatch_mapping_type).includes(detected)) continue;
    if (template.match !== undefined && !list(template.match).some((p) => matches(p, name, regex))) continue;
    if (template.unmatch !== undefined && list(template.unmatch).some((p) => matches(p, name, regex))) continue;
    if (template.path_match !== undefined && !list(template.path_match).some((p) => matches(p, path, regex))) continue;
    if (template.path_unmatch !== undefined && list(template.path_unmatch).some((p) => matches(p, path, regex))) continue;
    const dynamicType = detected === 'string' ? 'text' : detected === 'double' ? 'float' : detected;
    const mapping = substitute(template.mapping, name, dynamicType) as FieldDef;
    if (mapping.type === undefined && detected !== 'object') mapping.type = dynamicType;
    if (detected === 'object' && mapping.type === undefined) mapping.properties ??= {};
    return mapping;
  }
  return null;
}

function list(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

const patternCache = new Map<string, RegExp>();

export function matches(pattern: string, value: string, regex = false): boolean {
  const key = `${regex ? 'r' : 's'}:${pattern}`;
  let re = patternCache.get(key);
  if (!re) {
    re = regex ? new RegExp(pattern) : new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`);
    patternCache.set(key, re);
  }
  return re.test(value);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function substitute(value: unknown, name: string, dynamicType: string): unknown {
  if (typeof value === 'string') return value.replaceAll('{name}', name).replaceAll('{dynamic_type}', dynamicType);
  if (Array.isArray(value)) return value.map((v) => substitute(v, name, dynamicType));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, name, dynamicType)]));
  }
  return value;
}
