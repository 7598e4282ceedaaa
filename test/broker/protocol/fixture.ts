/** Helpers for byte fixtures written by hand from the protocol guide. */
import assert from 'node:assert/strict';
import {
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  type RequestHeader,
} from '../../../src/broker/protocol/header.ts';
import { concatChunks } from '../../../src/broker/protocol/writer.ts';

/**
 * Hex bytes with `# comments` and "quoted ASCII" (written as its bytes):
 *   hex`00 04 "logs"   # name`
 */
export function hex(strings: TemplateStringsArray, ...values: unknown[]): Buffer {
  const text = String.raw(strings, ...values)
    .replace(/#[^\n]*/g, '')
    .replace(/"([^"]*)"/g, (_, ascii: string) => Buffer.from(ascii, 'latin1').toString('hex'))
    .replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(text)) throw new Error(`bad hex fixture: ${text}`);
  return Buffer.from(text, 'hex');
}

/** A whole request frame decodes to `header`/`body`, and encoding them gives the same bytes. */
export function checkRequestFixture(bytes: Buffer, header: RequestHeader, body: unknown): void {
  assert.equal(bytes.readInt32BE(0), bytes.length - 4, 'size prefix');
  const decoded = decodeRequestFrame(bytes.subarray(4));
  assert.deepStrictEqual(decoded.header, header);
  assert.deepStrictEqual(decoded.body, body);
  const { apiKey, apiVersion, correlationId, clientId } = header;
  const encoded = concatChunks(encodeRequestFrame({ apiKey, apiVersion, correlationId, clientId }, body));
  assert.equal(encoded.toString('hex'), bytes.toString('hex'));
}

/** A whole response frame decodes to `correlationId`/`body`, and encoding them gives the same bytes. */
export function checkResponseFixture(apiKey: number, apiVersion: number, bytes: Buffer, correlationId: number, body: unknown): void {
  assert.equal(bytes.readInt32BE(0), bytes.length - 4, 'size prefix');
  const decoded = decodeResponseFrame(apiKey, apiVersion, bytes.subarray(4));
  assert.equal(decoded.correlationId, correlationId);
  assert.deepStrictEqual(decoded.body, body);
  const encoded = concatChunks(encodeResponseFrame(apiKey, apiVersion, correlationId, body));
  assert.equal(encoded.toString('hex'), bytes.toString('hex'));
}
