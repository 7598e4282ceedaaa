/**
 * `auto` codec (the default pipeline's): a message holding a JSON object stays
 * structured; anything else — text, a JSON scalar or list, broken JSON, invalid UTF-8 —
 * becomes plain text in `message`. It never fails except on a tombstone.
 */
import { type Codec, isPlainObject, noValueFailure, onlyEvent, valueText } from './codec.ts';
import { plainEvent } from './plain.ts';

const NAME = 'auto';

export function createAutoCodec(): Codec {
  return {
    name: NAME,
    decode(value, record) {
      if (value === null || value === undefined) return { events: [], failures: [noValueFailure(NAME)] };
      const text = valueText(value, false) as string;
      if (looksLikeObject(text)) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (isPlainObject(parsed)) return { events: [onlyEvent(parsed, record)], failures: [] };
        } catch {
          // not JSON: plain text below
        }
      }
      return { events: [plainEvent(text, record)], failures: [] };
    },
  };
}

function looksLikeObject(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) return true; // {
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xfeff) return false;
  }
  return false;
}
