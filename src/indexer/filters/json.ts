/**
 * `json`: parses the JSON text of `source`. With `target`, the value goes there;
 * without, an object's keys are merged into the event root (`@timestamp` is read as a
 * timestamp, `@metadata` merges into the metadata). Invalid JSON — or a non-object
 * without a target — tags `_jsonparsefailure`, unless `skip_on_invalid_json`.
 * A source that already holds an object or a list is used as it is.
 */
import { z } from 'zod';
import { type Fields, METADATA, TIMESTAMP, TIMESTAMP_FAILURE_FIELD, TIMESTAMP_FAILURE_TAG } from '../event.ts';
import { parseFieldRef } from '../field-ref.ts';
import { normalizeTimestamp } from '../timestamp.ts';
import { defineFilter } from './filter.ts';
import { failureTags, fieldRef } from './options.ts';

export const jsonFilter = defineFilter(
  'json',
  {
    source: fieldRef(),
    target: fieldRef().optional(),
    skip_on_invalid_json: z.boolean().default(false),
    tag_on_failure: failureTags('_jsonparsefailure'),
  },
  (options) => {
    const source = parseFieldRef(options.source);
    const target = options.target === undefined ? undefined : parseFieldRef(options.target);
    const tags = options.tag_on_failure;
    return (event) => {
      const raw = event.get(source);
      if (raw === undefined || raw === null) return false;
      let parsed: unknown;
      if (typeof raw === 'object') {
        parsed = raw;
      } else {
        try {
          parsed = JSON.parse(String(raw));
        } catch {
          if (!options.skip_on_invalid_json) for (const tag of tags) event.tag(tag);
          return false;
        }
      }
      if (target !== undefined) {
        event.set(target, parsed);
        return true;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        if (!options.skip_on_invalid_json) for (const tag of tags) event.tag(tag);
        return false;
      }
      const fields = event.fields;
      // for…in: JSON.parse makes plain objects with no inherited enumerable keys.
      for (const key in parsed as Fields) {
        const value = (parsed as Fields)[key];
        if (key === METADATA) {
          if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(event.metadata, value);
        } else if (key === TIMESTAMP) {
          const normalized = normalizeTimestamp(value);
          if (normalized === undefined) {
            fields[TIMESTAMP_FAILURE_FIELD] = value;
            event.tag(TIMESTAMP_FAILURE_TAG);
          } else {
            fields[TIMESTAMP] = normalized;
          }
        } else {
          fields[key] = value;
        }
      }
      return true;
    };
  },
);
