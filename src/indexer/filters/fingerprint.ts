/**
 * `fingerprint`: a hash of `source` fields into `target` (default
 * `[@metadata][fingerprint]`, ready to be a document id so replays overwrite instead of
 * duplicating). Methods as in Logstash: SHA1 (default), SHA256, SHA384, SHA512, MD5 —
 * HMACs when `key` is set — MURMUR3 (32-bit, a number), MURMUR3_128 (hex), UUID (random),
 * PUNCTUATION (the punctuation of the text).
 *
 * With several sources and `concatenate_sources`, the hash covers `|name|value|name|value|`
 * over the sources sorted by name (Logstash's layout); without it, each source is hashed
 * in turn and the last one present wins (Logstash's behaviour). `concatenate_all_fields`
 * covers every field of the document. Structured values are hashed as JSON with sorted
 * keys, so equal objects give equal fingerprints.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import murmur from 'murmurhash3js-revisited';
import { z } from 'zod';
import type { Event } from '../event.ts';
import { parseFieldRef } from '../field-ref.ts';
import { canonicalJson } from '../values.ts';
import { defineFilter } from './filter.ts';
import { fieldRef, listOf } from './options.ts';

const METHODS = ['SHA1', 'SHA256', 'SHA384', 'SHA512', 'MD5', 'MURMUR3', 'MURMUR3_128', 'UUID', 'PUNCTUATION'] as const;
const DIGESTS: Record<string, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512', MD5: 'md5' };

export const fingerprintFilter = defineFilter(
  'fingerprint',
  {
    source: listOf(fieldRef()).default(['message']),
    target: fieldRef().default('[@metadata][fingerprint]'),
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(METHODS))
      .default('SHA1'),
    key: z.string().optional(),
    base64encode: z.boolean().default(false),
    concatenate_sources: z.boolean().default(false),
    concatenate_all_fields: z.boolean().default(false),
  },
  (options) => {
    const target = parseFieldRef(options.target);
    const sources = options.source.map((s) => ({ name: s, ref: parseFieldRef(s) }));
    const sorted = [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const hash = hasher(options.method, options.key, options.base64encode);

    if (options.method === 'UUID') {
      return (event) => {
        event.set(target, randomUUID());
        return true;
      };
    }
    if (options.concatenate_all_fields) {
      return (event) => {
        const doc = event.toDocument();
        let text = '';
        for (const name of Object.keys(doc).sort()) text += `|${name}|${valueString(doc[name])}`;
        event.set(target, hash(`${text}|`));
        return true;
      };
    }
    if (options.concatenate_sources && sources.length > 0) {
      return (event) => {
        let text = '';
        for (const { name, ref } of sorted) text += `|${name}|${valueString(event.get(ref))}`;
        event.set(target, hash(`${text}|`));
        return true;
      };
    }
    return (event: Event) => {
      for (const { ref } of sources) {
        const value = event.get(ref);
        if (value === undefined || value === null) continue;
        event.set(target, hash(valueString(value)));
      }
      return true;
    };
  },
);

function valueString(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return canonicalJson(value);
  return String(value);
}

function hasher(method: (typeof METHODS)[number], key: string | undefined, base64: boolean): (text: string) => string | number {
  const encoding = base64 ? 'base64' : 'hex';
  const digest = DIGESTS[method];
  if (digest !== undefined) {
    if (key !== undefined) return (text) => createHmac(digest, key).update(text).digest(encoding);
    return (text) => createHash(digest).update(text).digest(encoding);
  }
  switch (method) {
    case 'MURMUR3':
      return (text) => murmur.x86.hash32(Buffer.from(text, 'utf8'));
    case 'MURMUR3_128':
      return (text) => {
        const hex = murmur.x64.hash128(Buffer.from(text, 'utf8'));
        return base64 ? Buffer.from(hex, 'hex').toString('base64') : hex;
      };
    default: // PUNCTUATION
      return (text) => text.replace(/[\p{L}\p{N}_\s]/gu, '');
  }
}
