import { createHash, createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event } from '../../../src/indexer/event.ts';
import { compileFilters } from '../../../src/indexer/pipeline-filters.ts';
import { type FilterCase, type ProblemCase, runFilterCases, runProblemCases } from './run-cases.ts';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const cases: FilterCase[] = [
  { name: 'SHA1 of message into [@metadata][fingerprint] by default', options: {}, input: { message: 'hello' }, expected: { message: 'hello' }, expectedMetadata: { fingerprint: sha1('hello') } },
  { name: 'SHA256 into a field', options: { method: 'SHA256', target: 'fp' }, input: { message: 'hello' }, expected: { message: 'hello', fp: sha256('hello') } },
  { name: 'lower-case method names are accepted', options: { method: 'sha256', target: 'fp' }, input: { message: 'x' }, expected: { message: 'x', fp: sha256('x') } },
  { name: 'HMAC with a key, base64', options: { method: 'SHA256', key: 'k', base64encode: true, target: 'fp' }, input: { message: 'hello' }, expected: { message: 'hello', fp: createHmac('sha256', 'k').update('hello').digest('base64') } },
  { name: 'MD5 and SHA512', options: { method: 'MD5', target: 'fp' }, input: { message: 'a' }, expected: { message: 'a', fp: createHash('md5').update('a').digest('hex') } },
  { name: 'MURMUR3 is a 32-bit number', options: { method: 'MURMUR3', target: 'fp' }, input: { message: 'I will not buy this record, it is scratched.' }, expected: { message: 'I will not buy this record, it is scratched.', fp: 2832214938 } },
  { name: 'MURMUR3_128 is hex', options: { method: 'MURMUR3_128', target: 'fp' }, input: { message: "I will not buy this tobacconist's, it is scratched." }, expected: { message: "I will not buy this tobacconist's, it is scratched.", fp: 'd30654abbd8227e367d73523f0079673' } },
  { name: 'concatenate_sources: |name|value| over sorted names, missing as empty', options: { source: ['b', 'a', 'c'], concatenate_sources: true, target: 'fp' }, input: { a: 1, b: 'x' }, expected: { a: 1, b: 'x', fp: sha1('|a|1|b|x|c||') } },
  { name: 'several sources without concatenation: the last present wins', options: { source: ['a', 'b', 'missing'], target: 'fp' }, input: { a: 'A', b: 'B' }, expected: { a: 'A', b: 'B', fp: sha1('B') } },
  { name: 'objects hash as JSON with sorted keys', options: { source: 'o', target: 'fp' }, input: { o: { b: 2, a: [1, { d: 1, c: 2 }] } }, expected: { o: { b: 2, a: [1, { d: 1, c: 2 }] }, fp: sha1('{"a":[1,{"c":2,"d":1}],"b":2}') } },
  { name: 'concatenate_all_fields', options: { concatenate_all_fields: true, target: '[@metadata][id]' }, input: { z: 1, a: 'x' }, expected: { z: 1, a: 'x' }, expectedMetadata: { id: sha1('|a|x|z|1|') } },
  { name: 'PUNCTUATION keeps the punctuation', options: { method: 'PUNCTUATION', target: 'p' }, input: { message: 'GET /a?b=1 200 - "x"' }, expected: { message: 'GET /a?b=1 200 - "x"', p: '/?=-""' } },
  { name: 'missing source: no fingerprint', options: { target: 'fp' }, input: { other: 1 }, expected: { other: 1 } },
];

runFilterCases('fingerprint', cases);

test('fingerprint UUID is random and well-formed', () => {
  const pipeline = compileFilters([{ fingerprint: { method: 'UUID', target: 'id' } }]);
  const a = pipeline.run(new Event({}))[0]!.get('id') as string;
  const b = pipeline.run(new Event({}))[0]!.get('id') as string;
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, b);
});

const problems: ProblemCase[] = [{ name: 'unknown method', options: { method: 'CRC32' }, path: ['method'], message: 'one of "SHA1"' }];
runProblemCases('fingerprint', problems);
