/**
 * An index's mapping: the JSON Elasticsearch shows for `GET /{index}/_mapping`, plus a
 * compiled view (every leaf field by dotted path, every object with its `dynamic`
 * setting) used to parse documents. Mappings are immutable: `merge` returns a new one.
 */
import { illegalArgument, mapperParsing } from '../errors.ts';
import { DEFAULT_DATE_FORMAT, type DateParser, dateParser } from './dates.ts';
import { type Dynamic, type FieldDef, isKnownType, type MappingDef, OBJECT_TYPES, type StorageKind, storageKind } from './types.ts';

export interface Leaf {
  path: string;
  type: string;
  def: FieldDef;
  storage: StorageKind;
  /** For a multi-field (`message.keyword`): the field it belongs to. */
  multiOf: string | null;
  /** Date fields: the parser of their `format`. */
  parseDate: DateParser | null;
}

export interface ObjectNode {
  path: string;
  dynamic: Dynamic;
  /** `enabled: false` objects are kept in _source and not parsed. */
  enabled: boolean;
  properties: Record<string, FieldDef>;
}

export const ROOT = '';

export class Mapping {
  readonly root: Readonly<MappingDef>;
  readonly leaves: ReadonlyMap<string, Leaf>;
  readonly objects: ReadonlyMap<string, ObjectNode>;
  /** The multi-fields of each field that has some. */
  readonly multiFields: ReadonlyMap<string, readonly Leaf[]>;
  /** Fields counted against index.mapping.total_fields.limit (objects and multi-fields included). */
  readonly fieldCount: number;

  private constructor(root: MappingDef) {
    this.root = root;
    const leaves = new Map<string, Leaf>();
    const objects = new Map<string, ObjectNode>();
    const multiFields = new Map<string, Leaf[]>();
    let count = 0;
    const rootDynamic = parseDynamic(root.dynamic, 'true', '_doc');
    objects.set(ROOT, { path: ROOT, dynamic: rootDynamic, enabled: true, properties: root.properties ?? {} });
    const walk = (properties: Record<string, FieldDef>, prefix: string, inherited: Dynamic) => {
      for (const [name, def] of Object.entries(properties)) {
        const path = prefix ? `${prefix}.${name}` : name;
        count++;
        const type = def.type ?? 'object';
        if (OBJECT_TYPES.has(type)) {
          const dynamic = def.dynamic === undefined ? inherited : parseDynamic(def.dynamic, inherited, path);
          objects.set(path, { path, dynamic, enabled: def.enabled !== false, properties: def.properties ?? {} });
          walk(def.properties ?? {}, path, dynamic);
          continue;
        }
        leaves.set(path, makeLeaf(path, type, def, null));
        for (const [sub, subDef] of Object.entries(def.fields ?? {})) {
          count++;
          const subPath = `${path}.${sub}`;
          const subLeaf = makeLeaf(subPath, subDef.type ?? 'object', subDef, path);
          leaves.set(subPath, subLeaf);
          multiFields.set(path, [...(multiFields.get(path) ?? []), subLeaf]);
        }
      }
    };
    walk(root.properties ?? {}, ROOT, rootDynamic);
    this.leaves = leaves;
    this.objects = objects;
    this.multiFields = multiFields;
    this.fieldCount = count;
  }

  static empty(): Mapping {
    return new Mapping({});
  }

  /** Validates a mapping given by a user (create index, template) and normalizes dotted names. */
  static parse(def: unknown): Mapping {
    return new Mapping(normalizeMapping(def));
  }

  /** Restores a mapping this store wrote (already validated). */
  static fromStored(def: MappingDef): Mapping {
    return new Mapping(def);
  }

  /** Applies a mapping update (PUT _mapping, templates, dynamic fields); throws on conflicts. */
  merge(update: unknown): Mapping {
    const normalized = normalizeMapping(update);
    const merged = structuredClone(this.root) as MappingDef;
    for (const [key, value] of Object.entries(normalized)) {
      if (key === 'properties') continue;
      if (key === 'dynamic_templates' && Array.isArray(merged.dynamic_templates) && Array.isArray(value)) {
        const byName = new Map(merged.dynamic_templates.map((t) => [Object.keys(t)[0]!, t]));
        for (const t of value as Record<string, unknown>[]) byName.set(Object.keys(t)[0]!, t as never);
        merged.dynamic_templates = [...byName.values()];
        continue;
      }
      merged[key] = structuredClone(value);
    }
    if (normalized.properties) merged.properties = mergeProperties(merged.properties ?? {}, normalized.properties, '');
    return new Mapping(merged);
  }

  /** The leaf at a dotted path, if mapped. */
  leaf(path: string): Leaf | undefined {
    return this.leaves.get(path);
  }

  toJSON(): MappingDef {
    return this.root as MappingDef;
  }
}

export function makeLeaf(path: string, type: string, def: FieldDef, multiOf: string | null): Leaf {
  let parseDate: DateParser | null = null;
  if (type === 'date' || type === 'date_nanos') parseDate = dateParser(def.format ?? DEFAULT_DATE_FORMAT);
  return { path, type, def, storage: storageKind(type), multiOf, parseDate };
}

export function parseDynamic(value: unknown, inherited: Dynamic, path: string): Dynamic {
  if (value === undefined || value === null) return inherited;
  const s = String(value);
  if (s === 'true' || s === 'false' || s === 'strict' || s === 'runtime') return s;
  throw mapperParsing(`Could not convert [dynamic] to boolean or 'strict' or 'runtime' for [${path || '_doc'}]: [${s}]`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ROOT_KEYS = new Set([
  'dynamic',
  'date_detection',
  'numeric_detection',
  'dynamic_date_formats',
  'dynamic_templates',
  'properties',
  '_source',
  '_routing',
  '_meta',
  '_data_stream_timestamp',
  'runtime',
  'enabled',
  '_field_names',
  'subobjects',
]);

/** Checks a user-supplied mapping and returns it with dotted field names expanded into objects. */
export function normalizeMapping(def: unknown): MappingDef {
  if (def === undefined || def === null) return {};
  if (!isObject(def)) throw mapperParsing('Failed to parse mapping: mapping must be an object');
  // A mapping wrapped in its (7.x-style) type name: {"_doc": {...}}.
  const keys = Object.keys(def);
  if (keys.length === 1 && keys[0] === '_doc' && isObject(def._doc)) def = def._doc as Record<string, unknown>;
  const out: MappingDef = {};
  for (const [key, value] of Object.entries(def as Record<string, unknown>)) {
    if (!ROOT_KEYS.has(key)) {
      throw mapperParsing(`Root mapping definition has unsupported parameters:  [${key} : ${JSON.stringify(value)}]`);
    }
    if (key === 'properties') out.properties = normalizeProperties(value, '');
    else if (key === 'dynamic') {
      parseDynamic(value, 'true', '_doc');
      out.dynamic = value as string;
    } else if (key === 'dynamic_date_formats') {
      if (!Array.isArray(value)) throw mapperParsing('[dynamic_date_formats] must be an array of date formats');
      for (const f of value) checkFormat(String(f), '_doc');
      out.dynamic_date_formats = value.map(String);
    } else if (key === 'dynamic_templates') {
      if (!Array.isArray(value) || !value.every((t) => isObject(t) && Object.keys(t).length === 1)) {
        throw mapperParsing('Failed to parse mapping: Dynamic template syntax error. An array of named objects is expected.');
      }
      out.dynamic_templates = structuredClone(value) as MappingDef['dynamic_templates'];
    } else out[key] = structuredClone(value);
  }
  return out;
}

function normalizeProperties(value: unknown, prefix: string): Record<string, FieldDef> {
  if (!isObject(value)) throw mapperParsing(`Expected map for property [properties] on field [${prefix || '_doc'}] but got a class java.lang.String`);
  const out: Record<string, FieldDef> = {};
  for (const [rawName, rawDef] of Object.entries(value)) {
    if (rawName.trim() === '') throw mapperParsing('field name cannot be an empty string');
    if (!isObject(rawDef)) throw mapperParsing(`Expected map for property [fields] on field [${rawName}] but got a class java.lang.String`);
    const parts = rawName.split('.');
    if (parts.some((p) => p === '')) throw illegalArgument(`field name cannot contain only whitespace or dots: ['${rawName}']`);
    const leafName = parts[parts.length - 1]!;
    const path = [prefix, ...parts].filter(Boolean).join('.');
    const def = normalizeField(rawDef, path);
    // "a.b": {...} is the object a with the property b.
    let target = out;
    for (const part of parts.slice(0, -1)) {
      const existing = target[part];
      const node: FieldDef = existing ?? { properties: {} };
      node.properties ??= {};
      target[part] = node;
      target = node.properties;
    }
    target[leafName] = target[leafName] ? mergeField(target[leafName], def, path) : def;
  }
  return out;
}

function normalizeField(raw: Record<string, unknown>, path: string): FieldDef {
  const def = structuredClone(raw) as FieldDef;
  if (def.type !== undefined && typeof def.type !== 'string') throw mapperParsing(`No type specified for field [${path}]`);
  const type = def.type ?? 'object';
  if (!isKnownType(type)) throw mapperParsing(`No handler for type [${type}] declared on field [${path}]`);
  if (OBJECT_TYPES.has(type)) {
    if (def.properties !== undefined) def.properties = normalizeProperties(def.properties, path);
    if (def.dynamic !== undefined) parseDynamic(def.dynamic, 'true', path);
    if (def.fields !== undefined) throw mapperParsing(`unknown parameter [fields] on mapper [${path}] of type [${type}]`);
    return def;
  }
  if (def.properties !== undefined) throw mapperParsing(`unknown parameter [properties] on mapper [${path}] of type [${type}]`);
  if (def.format !== undefined) checkFormat(String(def.format), path);
  if (def.ignore_above !== undefined && (typeof def.ignore_above !== 'number' || def.ignore_above < 0)) {
    throw mapperParsing(`Failed to parse mapping: [ignore_above] on mapper [${path}] must be a non-negative number`);
  }
  if (def.fields !== undefined) {
    if (!isObject(def.fields)) throw mapperParsing(`Expected map for property [fields] on field [${path}]`);
    const fields: Record<string, FieldDef> = {};
    for (const [name, sub] of Object.entries(def.fields)) {
      if (!isObject(sub)) throw mapperParsing(`Expected map for property [fields] on field [${path}.${name}]`);
      const subDef = normalizeField(sub, `${path}.${name}`);
      if (OBJECT_TYPES.has(subDef.type ?? 'object')) throw mapperParsing(`Type [${subDef.type ?? 'object'}] cannot be used in multi field`);
      fields[name] = subDef;
    }
    def.fields = fields;
  }
  return def;
}

function checkFormat(format: string, path: string): void {
  try {
    dateParser(format);
  } catch (error) {
    throw mapperParsing(`Error parsing [format] on field [${path}]: ${(error as Error).message}`);
  }
}

function mergeProperties(base: Record<string, FieldDef>, update: Record<string, FieldDef>, prefix: string): Record<string, FieldDef> {
  const out = { ...base };
  for (const [name, def] of Object.entries(update)) {
    const path = prefix ? `${prefix}.${name}` : name;
    out[name] = out[name] ? mergeField(out[name], def, path) : def;
  }
  return out;
}

function mergeField(base: FieldDef, update: FieldDef, path: string): FieldDef {
  const baseType = base.type ?? 'object';
  // An object given without a type (dynamic updates, `properties` only) keeps the base's object type (nested stays nested).
  const updateType = update.type ?? (OBJECT_TYPES.has(baseType) ? baseType : 'object');
  const baseObject = OBJECT_TYPES.has(baseType);
  const updateObject = OBJECT_TYPES.has(updateType);
  if (baseObject !== updateObject) {
    throw illegalArgument(`can't merge a non object mapping [${path}] with an object mapping`);
  }
  if (baseType !== updateType) throw illegalArgument(`mapper [${path}] cannot be changed from type [${baseType}] to [${updateType}]`);
  const merged: FieldDef = { ...base, ...update };
  if (baseObject) {
    merged.properties = mergeProperties(base.properties ?? {}, update.properties ?? {}, path);
    if (Object.keys(merged.properties).length === 0 && base.properties === undefined && update.properties === undefined) delete merged.properties;
    return merged;
  }
  if (base.fields || update.fields) {
    const fields: Record<string, FieldDef> = { ...(base.fields ?? {}) };
    for (const [name, sub] of Object.entries(update.fields ?? {})) fields[name] = fields[name] ? mergeField(fields[name], sub, `${path}.${name}`) : sub;
    merged.fields = fields;
  }
  for (const key of ['format', 'index', 'doc_values'] as const) {
    if (base[key] !== undefined && update[key] !== undefined && base[key] !== update[key]) {
      throw illegalArgument(`Mapper for [${path}] conflicts with existing mapper:\n\tCannot update parameter [${key}] from [${base[key]}] to [${update[key]}]`);
    }
  }
  return merged;
}
