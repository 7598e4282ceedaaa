/**
 * Parses a document against an index's mapping: every leaf value converted to what its
 * field indexes, plus the mapping update that dynamic fields need. A document that does
 * not fit (a value of the wrong type, a new field under `dynamic: strict`, an object
 * where a value is mapped) fails alone with Elasticsearch's exception, and leaves the
 * mapping untouched.
 */
import { EsError } from '../errors.ts';
import { convertValue, FieldValueError, type IndexedValue, SKIP } from './convert.ts';
import { inferField } from './dynamic.ts';
import { type Leaf, type Mapping, makeLeaf, type ObjectNode, parseDynamic, ROOT } from './mapping.ts';
import { type Dynamic, type FieldDef, OBJECT_TYPES } from './types.ts';

export interface ParsedDocument {
  /** Indexed values per leaf path (arrays give several values). */
  values: Map<string, IndexedValue[]>;
  /** New fields to merge into the mapping (a `properties` tree), or null. */
  mappingUpdate: Record<string, FieldDef> | null;
}

export interface ParseOptions {
  id: string;
  /** Elasticsearch ≥ 8.8 reports document failures as document_parsing_exception, older as mapper_parsing_exception. */
  errorType: 'document_parsing_exception' | 'mapper_parsing_exception';
  totalFieldsLimit: number;
}

export function parseDocument(mapping: Mapping, source: Record<string, unknown>, options: ParseOptions): ParsedDocument {
  return new DocumentParser(mapping, options).parse(source);
}

class DocumentParser {
  readonly #mapping: Mapping;
  readonly #options: ParseOptions;
  readonly #values = new Map<string, IndexedValue[]>();
  // Created on the first dynamic field only: most documents add none.
  #addedLeaves: Map<string, Leaf> | null = null;
  #addedMulti: Map<string, Leaf[]> | null = null;
  #addedObjects: Map<string, ObjectNode> | null = null;
  #update: Record<string, FieldDef> | null = null;
  #addedCount = 0;

  constructor(mapping: Mapping, options: ParseOptions) {
    this.#mapping = mapping;
    this.#options = options;
  }

  parse(source: Record<string, unknown>): ParsedDocument {
    this.#walkObject(source, this.#object(ROOT)!);
    if (this.#addedCount > 0 && this.#mapping.fieldCount + this.#addedCount > this.#options.totalFieldsLimit) {
      throw new EsError(400, 'illegal_argument_exception', `Limit of total fields [${this.#options.totalFieldsLimit}] has been exceeded while adding new fields [${this.#addedCount}]`);
    }
    return { values: this.#values, mappingUpdate: this.#update };
  }

  #leaf(path: string): Leaf | undefined {
    return this.#mapping.leaves.get(path) ?? this.#addedLeaves?.get(path);
  }

  #object(path: string): ObjectNode | undefined {
    return this.#mapping.objects.get(path) ?? this.#addedObjects?.get(path);
  }

  #walkObject(object: Record<string, unknown>, node: ObjectNode): void {
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (key.trim() === '') throw this.#fail(`field name cannot be an empty string`);
      if (!key.includes('.')) {
        this.#value(node.path ? `${node.path}.${key}` : key, key, value, node);
        continue;
      }
      const parts = key.split('.');
      if (parts.some((p) => p.trim() === '')) throw this.#fail(`field name cannot contain only whitespace or dots: ['${key}']`);
      // "a.b": v inside object o is the field o.a.b, with o.a an object.
      let parent = node;
      let skipped = false;
      for (const part of parts.slice(0, -1)) {
        const path = parent.path ? `${parent.path}.${part}` : part;
        const existing = this.#object(path);
        if (existing) {
          parent = existing;
          continue;
        }
        const leaf = this.#leaf(path);
        if (leaf) {
          throw this.#fail(`Could not dynamically add mapping for field [${parent.path ? `${parent.path}.` : ''}${key}]. Existing mapping for [${path}] must be of type object but found [${leaf.type}].`);
        }
        if (!this.#mayAdd(parent, path)) {
          skipped = true;
          break;
        }
        parent = this.#addObject(path, part, parent, { properties: {} });
      }
      if (skipped || !parent.enabled) continue;
      const last = parts[parts.length - 1]!;
      this.#value(parent.path ? `${parent.path}.${last}` : last, last, value, parent);
    }
  }

  #value(path: string, name: string, value: unknown, parent: ObjectNode): void {
    if (value === null || value === undefined) {
      const leaf = this.#leaf(path);
      if (leaf && leaf.def.null_value !== undefined && leaf.def.null_value !== null) this.#scalar(leaf, leaf.def.null_value);
      return;
    }
    if (Array.isArray(value)) {
      for (const element of value) this.#value(path, name, element, parent);
      return;
    }
    const object = this.#object(path);
    if (typeof value === 'object') {
      if (object) {
        if (object.enabled) this.#walkObject(value as Record<string, unknown>, object);
        return;
      }
      const leaf = this.#leaf(path);
      if (leaf) {
        this.#scalar(leaf, value);
        return;
      }
      if (!this.#mayAdd(parent, path)) return;
      const inferred = inferField(this.#mapping.root, path, name, value) ?? { properties: {} };
      if (OBJECT_TYPES.has(inferred.type ?? 'object')) {
        const added = this.#addObject(path, name, parent, inferred);
        if (added.enabled) this.#walkObject(value as Record<string, unknown>, added);
      } else {
        this.#scalar(this.#addLeaf(path, name, parent, inferred), value);
      }
      return;
    }
    if (object) throw this.#fail(`object mapping for [${path}] tried to parse field [${name}] as object, but found a concrete value`);
    let leaf = this.#leaf(path);
    if (!leaf) {
      if (!this.#mayAdd(parent, path)) return;
      const inferred = inferField(this.#mapping.root, path, name, value);
      if (!inferred) return;
      if (OBJECT_TYPES.has(inferred.type ?? 'object')) {
        throw this.#fail(`object mapping for [${path}] tried to parse field [${name}] as object, but found a concrete value`);
      }
      leaf = this.#addLeaf(path, name, parent, inferred);
    }
    this.#scalar(leaf, value);
  }

  #scalar(leaf: Leaf, value: unknown): void {
    this.#index(leaf, value);
    const multi = this.#mapping.multiFields.get(leaf.path) ?? this.#addedMulti?.get(leaf.path);
    if (multi) for (const sub of multi) this.#index(sub, value);
  }

  #index(leaf: Leaf, value: unknown): void {
    if (leaf.storage === 'none' && leaf.type !== 'flattened') return;
    let converted: IndexedValue | typeof SKIP;
    try {
      converted = convertValue(leaf, value);
    } catch (error) {
      if (!(error instanceof FieldValueError)) throw error;
      const preview = typeof value === 'object' ? javaMapPreview(value) : String(value);
      throw this.#fail(
        `failed to parse field [${leaf.path}] of type [${leaf.type}] in document with id '${this.#options.id}'. Preview of field's value: '${preview}'`,
        { type: error.causeType, reason: error.message },
      );
    }
    if (converted === SKIP) return;
    const list = this.#values.get(leaf.path);
    if (list) list.push(converted);
    else this.#values.set(leaf.path, [converted]);
  }

  /** Whether an unmapped field under `parent` may be added; throws under dynamic: strict. */
  #mayAdd(parent: ObjectNode, path: string): boolean {
    const dynamic: Dynamic = parent.dynamic;
    if (dynamic === 'true') return true;
    if (dynamic === 'strict') {
      const name = path.slice(parent.path ? parent.path.length + 1 : 0);
      throw new EsError(400, 'strict_dynamic_mapping_exception', `mapping set to strict, dynamic introduction of [${name}] within [${parent.path || '_doc'}] is not allowed`);
    }
    return false;
  }

  #addObject(path: string, name: string, parent: ObjectNode, def: FieldDef): ObjectNode {
    const node: ObjectNode = {
      path,
      dynamic: def.dynamic === undefined ? parent.dynamic : parseDynamic(def.dynamic, parent.dynamic, path),
      enabled: def.enabled !== false,
      properties: {},
    };
    (this.#addedObjects ??= new Map()).set(path, node);
    this.#addedCount++;
    this.#updateNode(parent.path)[name] = { ...def, properties: { ...(def.properties ?? {}) } };
    return node;
  }

  #addLeaf(path: string, name: string, parent: ObjectNode, def: FieldDef): Leaf {
    const leaf = makeLeaf(path, def.type!, def, null);
    (this.#addedLeaves ??= new Map()).set(path, leaf);
    this.#addedCount++;
    const subs: Leaf[] = [];
    for (const [sub, subDef] of Object.entries(def.fields ?? {})) {
      const subLeaf = makeLeaf(`${path}.${sub}`, subDef.type ?? 'keyword', subDef, path);
      this.#addedLeaves.set(subLeaf.path, subLeaf);
      subs.push(subLeaf);
      this.#addedCount++;
    }
    if (subs.length) (this.#addedMulti ??= new Map()).set(path, subs);
    this.#updateNode(parent.path)[name] = def;
    return leaf;
  }

  /** The `properties` object of the update tree at an object path, created as needed. */
  #updateNode(objectPath: string): Record<string, FieldDef> {
    this.#update ??= {};
    if (objectPath === ROOT) return this.#update;
    let node = this.#update;
    let prefix = '';
    for (const part of objectPath.split('.')) {
      prefix = prefix ? `${prefix}.${part}` : part;
      node[part] ??= this.#mapping.objects.has(prefix) ? { properties: {} } : { properties: {} };
      const field = node[part]!;
      field.properties ??= {};
      node = field.properties;
    }
    return node;
  }

  #fail(reason: string, causedBy?: { type: string; reason: string }): EsError {
    return new EsError(400, this.#options.errorType, reason, {}, causedBy);
  }
}

/** How Java prints a map in Elasticsearch's "Preview of field's value" ({a=1, b=x}). */
function javaMapPreview(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaMapPreview).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaMapPreview(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}
