/**
 * Decodes a line holding one JSON object into the event (Filebeat's `ndjson` parser):
 * at the root (`target: ''`) or under a field; keys the shipper sets itself
 * (`@timestamp`, `message`, `host`, `log`, ...) are kept unless `overwrite_keys`. A line
 * that is not a JSON object stays the `message`, tagged `_ndjsonparsefailure` (and with
 * `error.message` when `add_error_key`).
 */
import type { NdjsonConfig } from './config.ts';
import { addTags, type Fields } from './event.ts';

export const NDJSON_FAILURE_TAG = '_ndjsonparsefailure';

/** Returns false when the text was not a JSON object. */
export function applyNdjson(event: Fields, text: string, config: NdjsonConfig): boolean {
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch (error) {
    fail(event, config, `cannot parse the line as JSON: ${(error as Error).message}`);
    return false;
  }
  if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) {
    fail(event, config, `the line is JSON but not an object (${Array.isArray(decoded) ? 'array' : decoded === null ? 'null' : typeof decoded})`);
    return false;
  }
  const object = decoded as Fields;
  if (config.target !== '') {
    event[config.target] = object;
    return true;
  }
  // The line is now structured: the original text is not repeated unless the object has a message.
  delete event.message;
  for (const [key, value] of Object.entries(object)) {
    if (key === 'tags' && Array.isArray(value) && Array.isArray(event.tags)) {
      addTags(event, value.map(String));
      continue;
    }
    if (event[key] !== undefined && !config.overwrite_keys) {
      if (isObject(event[key]) && isObject(value)) mergeMissing(event[key] as Fields, value as Fields);
      continue;
    }
    event[key] = value;
  }
  return true;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function mergeMissing(into: Fields, from: Fields): void {
  for (const [key, value] of Object.entries(from)) {
    if (into[key] === undefined) into[key] = value;
    else if (isObject(into[key]) && isObject(value)) mergeMissing(into[key] as Fields, value as Fields);
  }
}

function fail(event: Fields, config: NdjsonConfig, message: string): void {
  addTags(event, [NDJSON_FAILURE_TAG]);
  if (config.add_error_key) {
    const error = (event.error ??= {}) as Fields;
    error.message = message;
  }
}
