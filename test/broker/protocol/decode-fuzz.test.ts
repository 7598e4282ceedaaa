/**
 * Bad input must only ever produce a ProtocolDecodeError: never a RangeError from
 * Buffer, a TypeError, an out-of-memory or a hang. A fixed number of seeded iterations
 * per API and version: every encoding truncated at sampled lengths (which must always
 * fail), valid encodings with random bytes overwritten, and random buffers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APIS } from '../../../src/broker/protocol/api.ts';
import type { ApiSchema } from '../../../src/broker/protocol/api-schema.ts';
import { ProtocolDecodeError } from '../../../src/broker/protocol/errors.ts';
import { decodeRequestHeader } from '../../../src/broker/protocol/header.ts';
import { concatChunks } from '../../../src/broker/protocol/writer.ts';
import { prng, sampleBody } from './sample-bodies.ts';

type AnyApi = ApiSchema<unknown, unknown, unknown, unknown>;
const MUTATIONS_PER_MESSAGE = 40;
const RANDOM_BUFFERS_PER_VERSION = 25;
const MAX_TRUNCATIONS = 80;
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];

/** Decodes and returns 'ok' or 'error'; anything but a ProtocolDecodeError fails the test. */
function attempt(decode: () => unknown, label: string): 'ok' | 'error' {
  try {
    decode();
    return 'ok';
  } catch (error) {
    if (error instanceof ProtocolDecodeError) return 'error';
    assert.fail(`${label}: threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

for (const api of Object.values(APIS) as AnyApi[]) {
  test(`${api.name}: truncated, mutated and random input only throws ProtocolDecodeError`, () => {
    const random = prng(api.apiKey + 1);
    const byte = () => (random() < 0.5 ? INTERESTING[Math.floor(random() * INTERESTING.length)]! : Math.floor(random() * 256));
    for (let v = api.minVersion; v <= api.maxVersion; v++) {
      for (const kind of ['request', 'response'] as const) {
        const decode = (buf: Buffer) => (kind === 'request' ? api.decodeRequest(v, buf) : api.decodeResponse(v, buf));
        for (const variant of ['full', 'nulls'] as const) {
          const fields = kind === 'request' ? api.spec.request : api.spec.response;
          const body = sampleBody(fields, v, variant, v).input;
          const valid = concatChunks(kind === 'request' ? api.encodeRequest(v, body) : api.encodeResponse(v, body));
          const label = `${api.name} v${v} ${kind} (${variant})`;

          // every strict prefix must fail: the decoder reads the same bytes until it runs out
          const lengths = new Set<number>();
          for (let n = 0; n < Math.min(valid.length, 24); n++) lengths.add(n);
          if (valid.length > 0) lengths.add(valid.length - 1);
          while (lengths.size < Math.min(valid.length, MAX_TRUNCATIONS)) lengths.add(Math.floor(random() * valid.length));
          for (const n of lengths) {
            assert.equal(attempt(() => decode(valid.subarray(0, n)), `${label} cut at ${n}`), 'error', `${label} cut at ${n} decoded`);
          }

          for (let i = 0; i < (valid.length > 0 ? MUTATIONS_PER_MESSAGE : 0); i++) {
            const mutated = Buffer.from(valid);
            const changes = 1 + Math.floor(random() * 4);
            for (let c = 0; c < changes; c++) mutated[Math.floor(random() * mutated.length)] = byte();
            attempt(() => decode(mutated), `${label} mutation ${i} ${mutated.toString('hex').slice(0, 200)}`);
          }
        }
        for (let i = 0; i < RANDOM_BUFFERS_PER_VERSION; i++) {
          const buf = Buffer.from(Array.from({ length: Math.floor(random() * 64) }, byte));
          attempt(() => decode(buf), `${api.name} v${v} ${kind} random ${buf.toString('hex')}`);
        }
      }
    }
  });
}

test('request headers: random bytes only throw ProtocolDecodeError', () => {
  const random = prng(99);
  for (let i = 0; i < 2000; i++) {
    const buf = Buffer.from(Array.from({ length: Math.floor(random() * 24) }, () => Math.floor(random() * 256)));
    // keep api keys and versions in a range that hits known APIs and flexible versions
    if (buf.length >= 4 && random() < 0.7) {
      buf.writeInt16BE([0, 1, 3, 18, 60, 999][Math.floor(random() * 6)]!, 0);
      buf.writeInt16BE(Math.floor(random() * 20), 2);
    }
    attempt(() => decodeRequestHeader(buf), `header ${buf.toString('hex')}`);
  }
});
