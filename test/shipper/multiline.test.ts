import assert from 'node:assert/strict';
import { test } from 'node:test';
import { multilineSchema } from '../../src/shipper/config.ts';
import { type Line, Multiline } from '../../src/shipper/multiline.ts';

function lines(texts: string[]): Line[] {
  let offset = 0;
  return texts.map((text) => {
    const line = { text, offset, end: offset + Buffer.byteLength(text) + 1 };
    offset = line.end;
    return line;
  });
}

function run(config: Record<string, unknown>, texts: string[]) {
  const m = new Multiline(multilineSchema.parse(config));
  const out: Line[] = [];
  for (const line of lines(texts)) out.push(...m.push(line, 0));
  const last = m.flush();
  if (last) out.push(last);
  return out;
}

const STACK = [
  '2024-05-01 12:00:00 ERROR request failed',
  'java.lang.IllegalStateException: boom',
  '\tat com.example.Foo.bar(Foo.java:10)',
  '\tat com.example.Main.main(Main.java:3)',
  'Caused by: java.io.IOException: disk',
  '\t... 2 more',
  '2024-05-01 12:00:01 INFO next request',
];

test('a Java stack trace becomes one event (pattern ^\\d{4}-, negate, match after); offsets cover all its lines', () => {
  const out = run({ pattern: '^\\d{4}-', negate: true, match: 'after' }, STACK);
  assert.equal(out.length, 2);
  assert.equal(out[0]!.text, STACK.slice(0, 6).join('\n'));
  assert.deepEqual(out[0]!.flags, ['multiline']);
  assert.equal(out[0]!.offset, 0);
  assert.equal(out[1]!.offset, out[0]!.end);
  assert.equal(out[1]!.text, STACK[6]);
});

test('continuation lines by leading whitespace (pattern ^[ \\t]|^Caused by:, match after)', () => {
  const out = run({ pattern: '^[ \\t]|^Caused by:|^java\\.', match: 'after' }, STACK);
  assert.deepEqual(
    out.map((l) => l.text.split('\n').length),
    [6, 1],
  );
});

test('match before: lines ending with a backslash continue into the next line', () => {
  const out = run({ pattern: '\\\\$', match: 'before' }, ['one \\', 'two \\', 'three', 'four']);
  assert.deepEqual(
    out.map((l) => l.text),
    ['one \\\ntwo \\\nthree', 'four'],
  );
});

test('max_lines cuts an event and flags it; the dropped lines still count for the offset', () => {
  const out = run({ pattern: '^\\s', match: 'after', max_lines: 2 }, ['start', ' a', ' b', ' c', 'next']);
  assert.equal(out[0]!.text, 'start\n a');
  assert.deepEqual(out[0]!.flags, ['multiline', 'multiline_truncated']);
  assert.equal(out[0]!.end, out[1]!.offset);
});

test('an event waiting longer than timeout_ms is flushed (injected clock)', () => {
  const m = new Multiline(multilineSchema.parse({ pattern: '^\\s', match: 'after', timeout_ms: 1000 }));
  const [a, b] = lines(['start', ' more']);
  assert.deepEqual(m.push(a!, 0), []);
  assert.deepEqual(m.push(b!, 500), []);
  assert.equal(m.flushIfOlder(999), undefined);
  assert.equal(m.flushIfOlder(1000)?.text, 'start\n more');
  assert.equal(m.pending, false);
});
