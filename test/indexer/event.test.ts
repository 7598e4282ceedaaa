import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event } from '../../src/indexer/event.ts';
import { FieldRefSyntaxError, parseFieldRef } from '../../src/indexer/field-ref.ts';

test('field references: bare names, nested keys, metadata', () => {
  assert.deepEqual(parseFieldRef('message'), { source: 'message', metadata: false, path: ['message'] });
  assert.deepEqual(parseFieldRef('a.b'), { source: 'a.b', metadata: false, path: ['a.b'] });
  assert.deepEqual(parseFieldRef('[a][b]'), { source: '[a][b]', metadata: false, path: ['a', 'b'] });
  assert.deepEqual(parseFieldRef('[@metadata][kafka][topic]'), { source: '[@metadata][kafka][topic]', metadata: true, path: ['kafka', 'topic'] });
  assert.deepEqual(parseFieldRef('@metadata'), { source: '@metadata', metadata: true, path: [] });
});

const invalid: [string, number][] = [
  ['', 1],
  ['a[b]', 2],
  ['[a]b', 4],
  ['[a', 1],
  ['[]', 1],
  ['[a][b', 4],
];
for (const [reference, column] of invalid) {
  test(`field reference ${JSON.stringify(reference)} is rejected at column ${column}`, () => {
    assert.throws(() => parseFieldRef(reference), (error: unknown) => error instanceof FieldRefSyntaxError && error.column === column);
  });
}

test('get, set, has, remove on nested fields and arrays', () => {
  const event = new Event({ message: 'm', a: { b: [1, 2, 3] } });
  assert.equal(event.get('message'), 'm');
  assert.equal(event.get('[a][b][0]'), 1);
  assert.equal(event.get('[a][b][-1]'), 3);
  assert.equal(event.get('[a][b][9]'), undefined);
  assert.equal(event.get('[a][x][y]'), undefined);
  assert.equal(event.has('[a][b]'), true);
  assert.equal(event.has('[nope]'), false);
  event.set('[x][y][z]', 1);
  assert.deepEqual(event.get('x'), { y: { z: 1 } });
  event.set('[message][inner]', 2); // a scalar on the way is replaced by an object
  assert.deepEqual(event.get('message'), { inner: 2 });
  event.set('[a][b][1]', 'two');
  assert.deepEqual(event.get('[a][b]'), [1, 'two', 3]);
  assert.equal(event.remove('[a][b][0]'), 1);
  assert.deepEqual(event.get('[a][b]'), ['two', 3]);
  assert.deepEqual(event.remove('[x][y]'), { z: 1 });
  assert.equal(event.has('[x][y]'), false);
  assert.deepEqual(event.toDocument().x, {});
  assert.equal(event.remove('[x][nothing]'), undefined);
});

test('removed fields are left out of the document and of JSON', () => {
  const event = new Event({ a: 1, b: { c: 2, d: 3 }, list: [{ e: 1, f: 2 }] });
  assert.equal(event.toDocument(), event.fields); // nothing removed: the live object
  event.remove('a');
  event.remove('[b][c]');
  event.remove('[list][0][f]');
  assert.deepEqual(event.toDocument(), { b: { d: 3 }, list: [{ e: 1 }] });
  assert.equal(JSON.stringify(event), '{"b":{"d":3},"list":[{"e":1}]}');
  event.set('a', 'back');
  assert.deepEqual(event.toDocument(), { a: 'back', b: { d: 3 }, list: [{ e: 1 }] });
});

test('metadata is readable and writable but never in the document', () => {
  const event = new Event({ message: 'm' });
  event.set('[@metadata][kafka][topic]', 'logs');
  assert.equal(event.get('[@metadata][kafka][topic]'), 'logs');
  assert.deepEqual(event.get('@metadata'), { kafka: { topic: 'logs' } });
  assert.deepEqual(event.toDocument(), { message: 'm' });
  assert.equal(JSON.stringify(event), '{"message":"m"}');
});

test('tags: added once, promoted from a string, removed', () => {
  const event = new Event({ tags: 'one' });
  event.tag('two');
  event.tag('two');
  assert.deepEqual(event.get('tags'), ['one', 'two']);
  assert.equal(event.hasTag('one'), true);
  event.untag('one');
  assert.deepEqual(event.tags, ['two']);
  const fresh = new Event({});
  assert.deepEqual(fresh.tags, []);
  fresh.tag('x');
  assert.deepEqual(fresh.toDocument(), { tags: ['x'] });
});

test('fromObject: @timestamp default, normalization, failure, @metadata', () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0);
  assert.equal(Event.fromObject({}, { now }).get('@timestamp'), '2024-05-01T12:00:00.000Z');
  assert.equal(Event.fromObject({ '@timestamp': '2024-05-01T14:00:00+02:00' }).get('@timestamp'), '2024-05-01T12:00:00.000Z');
  assert.equal(Event.fromObject({ '@timestamp': '2024-05-01T12:00:00.123456789Z' }).get('@timestamp'), '2024-05-01T12:00:00.123456789Z');
  const bad = Event.fromObject({ '@timestamp': 'yesterday' }, { now });
  assert.deepEqual(bad.toDocument(), { '@timestamp': '2024-05-01T12:00:00.000Z', '_@timestamp': 'yesterday', tags: ['_timestampparsefailure'] });
  const withMeta = Event.fromObject({ a: 1, '@metadata': { b: 2, kafka: { topic: 'spoofed' } } }, { now, metadata: { kafka: { topic: 't' } } });
  assert.deepEqual(withMeta.metadata, { kafka: { topic: 't' }, b: 2 });
  assert.equal(withMeta.has('@metadata'), true);
  assert.equal('@metadata' in withMeta.toDocument(), false);
});

test('clone is deep', () => {
  const event = new Event({ a: { b: 1 } }, { m: { n: 1 } });
  const copy = event.clone();
  copy.set('[a][b]', 2);
  copy.set('[@metadata][m][n]', 2);
  assert.equal(event.get('[a][b]'), 1);
  assert.equal(event.get('[@metadata][m][n]'), 1);
});

test('lazy metadata is made once, on first use, and an own @metadata merges under it', () => {
  let made = 0;
  const lazy = () => {
    made++;
    return { kafka: { topic: 't', partition: 1 } };
  };
  const untouched = Event.fromObject({ message: 'm' }, { metadata: lazy });
  assert.equal(JSON.stringify(untouched), JSON.stringify({ message: 'm', '@timestamp': untouched.get('@timestamp') }));
  assert.equal(made, 0);
  const read = Event.fromObject({ message: 'm' }, { metadata: lazy });
  assert.equal(read.get('[@metadata][kafka][topic]'), 't');
  read.set('[@metadata][x]', 1);
  assert.deepEqual(read.metadata, { kafka: { topic: 't', partition: 1 }, x: 1 });
  assert.equal(made, 1);
  const replaced = Event.fromObject({ message: 'm' }, { metadata: lazy });
  replaced.set('@metadata', { y: 2 });
  assert.deepEqual(replaced.metadata, { y: 2 });
  assert.equal(made, 1);
  const own = Event.fromObject({ message: 'm', '@metadata': { kafka: 'claimed', z: 3 } }, { metadata: lazy });
  assert.deepEqual(own.metadata, { kafka: { topic: 't', partition: 1 }, z: 3 });
  assert.equal(made, 2);
});
