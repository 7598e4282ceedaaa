/**
 * The event that flows through codecs and filters: the JSON object Logstash users know —
 * `@timestamp` (ISO 8601 UTC string), `message`, `tags`, any other fields — plus
 * `@metadata`, which filters and conditionals can read and write but which is never part
 * of the indexed document.
 *
 * Fields are addressed with Logstash field references (`[a][b]`, `name`,
 * `[@metadata][kafka][topic]`; see field-ref.ts). The document is kept as a plain object
 * so that serializing it costs nothing more than JSON.stringify.
 *
 * Removing a field sets it to undefined instead of deleting the key (deleting makes V8
 * objects slow dictionaries; this alone was ~9% of the filter time). JSON.stringify — and
 * so `JSON.stringify(event)` — leaves undefined values out; `toDocument()` returns a
 * clean copy when something was removed; the live `fields` object may show removed keys
 * with undefined values, so test presence with `has()`.
 */
import { type FieldRef, lenientFieldRef, readPath, removePath, writePath } from './field-ref.ts';
import { formatTimestamp, normalizeTimestamp, timestampMillis } from './timestamp.ts';

export type Fields = Record<string, unknown>;

export const TIMESTAMP = '@timestamp';
export const METADATA = '@metadata';
export const TAGS = 'tags';
/** Tag added when a source `@timestamp` could not be read (Logstash's name). */
export const TIMESTAMP_FAILURE_TAG = '_timestampparsefailure';
/** Where the unreadable source `@timestamp` is kept (Logstash's name). */
export const TIMESTAMP_FAILURE_FIELD = '_@timestamp';

export interface EventFromObjectOptions {
  /** The time used when the object has no `@timestamp` (ms since the epoch; default: now). */
  now?: number;
  /**
   * Metadata to start with (e.g. `{ kafka: {...} }`), or a function that makes it when a
   * filter first reads or writes `@metadata` (most events never do: no object per event);
   * the object's own `@metadata` fills in other keys.
   */
  metadata?: Fields | (() => Fields);
}

export class Event {
  #fields: Fields;
  /** Undefined until first used when made lazily (see #lazyMetadata). */
  #metadata: Fields | undefined;
  #lazyMetadata: (() => Fields) | undefined;
  /** Whether a document field was removed (so `#fields` may hold undefined values). */
  #removed = false;

  /** Wraps `fields` as they are (no copy, no `@timestamp` handling); see Event.fromObject. */
  constructor(fields: Fields = {}, metadata: Fields | (() => Fields) = {}) {
    this.#fields = fields;
    if (typeof metadata === 'function') this.#lazyMetadata = metadata;
    else this.#metadata = metadata;
  }

  /**
   * Makes an event of a decoded JSON object, taking ownership of it: `@metadata` moves to
   * the metadata; a missing `@timestamp` becomes the current time; an unreadable one is
   * kept in `_@timestamp` and tagged `_timestampparsefailure`, as Logstash does.
   */
  static fromObject(object: Fields, options: EventFromObjectOptions = {}): Event {
    let metadata = options.metadata ?? {};
    const own = object[METADATA];
    if (own !== undefined) {
      delete object[METADATA];
      // The caller's metadata (Kafka facts) wins over what the payload claims.
      if (own !== null && typeof own === 'object' && !Array.isArray(own)) metadata = { ...(own as Fields), ...(typeof metadata === 'function' ? metadata() : metadata) };
    }
    const event = new Event(object, metadata);
    const raw = object[TIMESTAMP];
    if (raw === undefined) {
      object[TIMESTAMP] = formatTimestamp(options.now ?? Date.now());
    } else {
      const normalized = normalizeTimestamp(raw);
      if (normalized === undefined) {
        object[TIMESTAMP] = formatTimestamp(options.now ?? Date.now());
        object[TIMESTAMP_FAILURE_FIELD] = raw;
        event.tag(TIMESTAMP_FAILURE_TAG);
      } else if (normalized !== raw) {
        object[TIMESTAMP] = normalized;
      }
    }
    return event;
  }

  /** The live document fields (without `@metadata`). */
  get fields(): Fields {
    return this.#fields;
  }

  /** The live `@metadata` object. */
  get metadata(): Fields {
    return this.#meta();
  }

  #meta(): Fields {
    if (this.#metadata === undefined) {
      this.#metadata = this.#lazyMetadata === undefined ? {} : this.#lazyMetadata();
      this.#lazyMetadata = undefined;
    }
    return this.#metadata;
  }

  get(ref: string | FieldRef): unknown {
    const r = typeof ref === 'string' ? lenientFieldRef(ref) : ref;
    const root = r.metadata ? this.#meta() : this.#fields;
    return r.path.length === 1 ? root[r.path[0]!] : readPath(root, r.path);
  }

  has(ref: string | FieldRef): boolean {
    return this.get(ref) !== undefined;
  }

  /** Sets a field, creating parents; setting `@metadata` itself replaces the metadata object. */
  set(ref: string | FieldRef, value: unknown): void {
    const r = typeof ref === 'string' ? lenientFieldRef(ref) : ref;
    if (r.path.length === 0) {
      const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};
      if (r.metadata) {
        this.#metadata = object;
        this.#lazyMetadata = undefined;
      } else this.#fields = object;
      return;
    }
    const root = r.metadata ? this.#meta() : this.#fields;
    if (r.path.length === 1) root[r.path[0]!] = value;
    else writePath(root, r.path, value);
  }

  /** Removes a field; returns the removed value (undefined when there was none). */
  remove(ref: string | FieldRef): unknown {
    const r = typeof ref === 'string' ? lenientFieldRef(ref) : ref;
    if (r.path.length === 0) {
      const old = r.metadata ? this.#meta() : this.#fields;
      if (r.metadata) this.#metadata = {};
      else this.#fields = {};
      return old;
    }
    const removed = removePath(r.metadata ? this.#meta() : this.#fields, r.path);
    if (removed !== undefined && !r.metadata) this.#removed = true;
    return removed;
  }

  /** `@timestamp` in milliseconds since the epoch (NaN when missing or unreadable). */
  get timestamp(): number {
    return timestampMillis(this.#fields[TIMESTAMP]);
  }

  set timestamp(ms: number) {
    this.#fields[TIMESTAMP] = formatTimestamp(ms);
  }

  /** The tags (an empty list when there are none; a single string tag counts as one). */
  get tags(): readonly string[] {
    const tags = this.#fields[TAGS];
    if (Array.isArray(tags)) return tags as string[];
    return typeof tags === 'string' ? [tags] : [];
  }

  hasTag(tag: string): boolean {
    return this.tags.includes(tag);
  }

  /** Adds a tag unless present (Logstash's event.tag). */
  tag(tag: string): void {
    const tags = this.#fields[TAGS];
    if (Array.isArray(tags)) {
      if (!tags.includes(tag)) tags.push(tag);
    } else if (tags === undefined || tags === null) {
      this.#fields[TAGS] = [tag];
    } else if (tags !== tag) {
      this.#fields[TAGS] = [tags, tag];
    }
  }

  /** Removes a tag; an emptied list stays as `[]`, like Logstash's remove_tag. */
  untag(tag: string): void {
    const tags = this.#fields[TAGS];
    if (Array.isArray(tags)) {
      const index = tags.indexOf(tag);
      if (index !== -1) tags.splice(index, 1);
    } else if (tags === tag) {
      this.#fields[TAGS] = [];
    }
  }

  /**
   * The document to index: every field except `@metadata`. The live object when nothing
   * was removed, else a copy without the removed fields.
   */
  toDocument(): Fields {
    return this.#removed ? (withoutUndefined(this.#fields) as Fields) : this.#fields;
  }

  /** For JSON.stringify(event): the live fields (undefined values are left out by JSON). */
  toJSON(): Fields {
    return this.#fields;
  }

  /** A deep copy (fields and metadata). */
  clone(): Event {
    return new Event(structuredClone(this.#fields), structuredClone(this.#meta()));
  }
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object') return value;
  const out: Fields = {};
  for (const key in value) {
    const v = (value as Fields)[key];
    if (v !== undefined) out[key] = withoutUndefined(v);
  }
  return out;
}
