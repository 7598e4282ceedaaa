/**
 * Request bodies: gzip/deflate decoding, JSON parsing with Elasticsearch's errors, and
 * the media types clients send (`application/json`, `application/x-ndjson` and the
 * vendor types `application/vnd.elasticsearch+json; compatible-with=7|8|9`).
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { EsError } from '../errors.ts';

/** The compatible-with version a client asked for (Accept, else Content-Type), or null. */
export function compatibleWith(headers: IncomingMessage['headers']): number | null {
  for (const header of [headers.accept, headers['content-type']]) {
    const m = /application\/vnd\.elasticsearch\+[a-z-]+\s*;\s*compatible-with\s*=\s*(\d+)/i.exec(String(header ?? ''));
    if (m) return Number(m[1]);
  }
  return null;
}

/** The Content-Type of a JSON response: the vendor type if the client asked with it. */
export function responseContentType(headers: IncomingMessage['headers']): string {
  const version = compatibleWith(headers);
  const accept = String(headers.accept ?? '');
  if (version !== null && /vnd\.elasticsearch\+json/i.test(accept)) return `application/vnd.elasticsearch+json;compatible-with=${version}`;
  return 'application/json; charset=UTF-8';
}

/**
 * Wraps the request stream in a decompressor for `Content-Encoding: gzip|deflate`, and
 * counts decoded bytes so that a body over the limit after decompression is refused.
 */
export function decodeBody(payload: Readable, encoding: string | undefined, maxBytes: number): Readable {
  const value = (encoding ?? '').trim().toLowerCase();
  if (!value || value === 'identity') return payload;
  let decoder: Transform;
  if (value === 'gzip' || value === 'x-gzip') decoder = createGunzip();
  else if (value === 'deflate') decoder = createInflate();
  else throw new EsError(415, 'illegal_argument_exception', `unsupported Content-Encoding [${encoding}]; use gzip or deflate`);
  let decoded = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      decoded += chunk.length;
      if (decoded > maxBytes) {
        done(tooLarge(maxBytes));
        return;
      }
      done(null, chunk);
    },
  });
  const out = new PassThrough();
  payload.on('error', (e) => out.destroy(e));
  decoder.on('error', (e) => out.destroy(new EsError(400, 'illegal_argument_exception', `request body could not be decompressed: ${e.message}`)));
  limiter.on('error', (e) => out.destroy(e));
  payload.pipe(decoder).pipe(limiter).pipe(out);
  return out;
}

export function tooLarge(maxBytes: number): EsError {
  return new EsError(413, 'content_too_long_exception', `request content length is larger than the limit of [${maxBytes}] bytes (store.max_body_bytes)`);
}

/** Parses a JSON body; `required`: a missing body is an error. */
export function parseJson(body: Buffer | undefined, required: boolean): unknown {
  if (!body || body.length === 0 || /^\s*$/.test(body.toString('utf8', 0, Math.min(body.length, 64)))) {
    if (required) throw new EsError(400, 'parse_exception', 'request body is required');
    return undefined;
  }
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const pos = at ? Number(at[1]) : 0;
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    throw new EsError(400, 'x_content_parse_exception', `[${line}:${col}] ${message}`, {}, { type: 'json_parse_exception', reason: message });
  }
}

/** Requires a JSON object (not an array or scalar) as the body. */
export function parseJsonObject(body: Buffer | undefined, required: boolean): Record<string, unknown> | undefined {
  const value = parseJson(body, required);
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EsError(400, 'parse_exception', `request body must be a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Record<string, unknown>;
}
