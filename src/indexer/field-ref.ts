/**
 * Logstash field references: `[a][b]` (nested), a bare `name` (one top-level key, dots
 * included: `a.b` is the key "a.b", as in Logstash), `[@metadata][x]` (the metadata that
 * is never indexed). Numeric segments index arrays (`[list][0]`, `[list][-1]`).
 *
 * Parsing is strict (Logstash's STRICT mode): `a[b]`, `[a]b`, `[]` and unbalanced
 * brackets are errors. Filters parse their references once, when they are created, so a
 * bad reference is a configuration error, never a runtime one.
 */

export interface FieldRef {
  /** The reference as written. */
  readonly source: string;
  /** True when the reference points into `@metadata`. */
  readonly metadata: boolean;
  /** Keys below the root (the event, or `@metadata`); empty for the root itself. */
  readonly path: readonly string[];
}

export class FieldRefSyntaxError extends Error {
  readonly reference: string;
  /** 1-based column of the problem in the reference. */
  readonly column: number;
  constructor(reference: string, column: number, reason: string) {
    super(`invalid field reference ${JSON.stringify(reference)} at column ${column}: ${reason}`);
    this.name = 'FieldRefSyntaxError';
    this.reference = reference;
    this.column = column;
  }
}

const METADATA = '@metadata';
const cache = new Map<string, FieldRef>();
const CACHE_LIMIT = 10_000;

/** Parses a field reference; throws FieldRefSyntaxError. Results are cached. */
export function parseFieldRef(source: string): FieldRef {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const ref = parseUncached(source);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, ref);
  return ref;
}

/** Like parseFieldRef, but an invalid reference is taken as one literal top-level key. */
export function lenientFieldRef(source: string): FieldRef {
  try {
    return parseFieldRef(source);
  } catch {
    return { source, metadata: false, path: [source] };
  }
}

/** A reference from already separated keys (no parsing: any key text is allowed). */
export function fieldRefFromPath(path: readonly string[], metadata = false): FieldRef {
  const source = (metadata ? [METADATA, ...path] : path).map((key) => `[${key}]`).join('');
  return { source, metadata, path: [...path] };
}

/** The reference `[parent...][child...]`: `child` below `parent`. */
export function childRef(parent: FieldRef, child: FieldRef): FieldRef {
  if (child.metadata) return child;
  return fieldRefFromPath([...parent.path, ...child.path], parent.metadata);
}

function parseUncached(source: string): FieldRef {
  if (source.length === 0) throw new FieldRefSyntaxError(source, 1, 'a field reference cannot be empty');
  let segments: string[];
  if (source[0] !== '[') {
    const bracket = source.search(/[[\]]/);
    if (bracket !== -1) {
      throw new FieldRefSyntaxError(source, bracket + 1, `a bare field name cannot contain "${source[bracket]}"; write [${source.slice(0, bracket)}][...] for nested fields`);
    }
    segments = [source];
  } else {
    segments = [];
    let i = 0;
    while (i < source.length) {
      if (source[i] !== '[') throw new FieldRefSyntaxError(source, i + 1, 'expected "[" to start the next key');
      const close = source.indexOf(']', i + 1);
      if (close === -1) throw new FieldRefSyntaxError(source, i + 1, 'unclosed "["');
      const key = source.slice(i + 1, close);
      if (key.length === 0) throw new FieldRefSyntaxError(source, i + 1, 'empty key "[]"');
      if (key.includes('[')) throw new FieldRefSyntaxError(source, i + 1 + key.indexOf('[') + 1, 'unexpected "[" inside a key');
      segments.push(key);
      i = close + 1;
    }
  }
  if (segments[0] === METADATA) return { source, metadata: true, path: segments.slice(1) };
  return { source, metadata: false, path: segments };
}

/** Reads a value along `path` from `root`; undefined when any step is missing. */
export function readPath(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    if (node === null || typeof node !== 'object') return undefined;
    const key = path[i]!;
    if (Array.isArray(node)) {
      const index = arrayIndex(key, node.length);
      if (index === -1) return undefined;
      node = node[index];
    } else {
      node = (node as Record<string, unknown>)[key];
    }
  }
  return node;
}

/**
 * Writes `value` at `path` below `root`, creating objects on the way. A non-object on the
 * way is replaced by an object (as Logstash does). Returns false when the write cannot be
 * done (an array index out of range).
 */
export function writePath(root: Record<string, unknown>, path: readonly string[], value: unknown): boolean {
  let node: Record<string, unknown> | unknown[] = root;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    const key = path[i]!;
    let next: unknown;
    if (Array.isArray(node)) {
      const index = arrayIndex(key, node.length);
      if (index === -1) return false;
      next = node[index];
      if (next === null || typeof next !== 'object') node[index] = next = {};
    } else {
      next = node[key];
      if (next === null || typeof next !== 'object') node[key] = next = {};
    }
    node = next as Record<string, unknown> | unknown[];
  }
  const key = path[last]!;
  if (Array.isArray(node)) {
    const index = arrayIndex(key, node.length, true);
    if (index === -1) return false;
    node[index] = value;
  } else {
    node[key] = value;
  }
  return true;
}

/**
 * Removes the value at `path`; returns it (undefined when absent). An object key is set
 * to undefined rather than deleted: `delete` turns V8 objects into slow dictionaries,
 * and JSON.stringify leaves undefined values out anyway (see Event.toDocument).
 */
export function removePath(root: Record<string, unknown>, path: readonly string[]): unknown {
  const parent = path.length === 1 ? root : readPath(root, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object') return undefined;
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = arrayIndex(key, parent.length);
    if (index === -1) return undefined;
    return parent.splice(index, 1)[0];
  }
  const record = parent as Record<string, unknown>;
  const value = record[key];
  if (value !== undefined) record[key] = undefined;
  return value;
}

/** The array index a key names (negative counts from the end), or -1; `append` allows `length`. */
function arrayIndex(key: string, length: number, append = false): number {
  if (!/^-?\d+$/.test(key)) return -1;
  let index = Number(key);
  if (index < 0) index += length;
  return index >= 0 && (index < length || (append && index === length)) ? index : -1;
}
