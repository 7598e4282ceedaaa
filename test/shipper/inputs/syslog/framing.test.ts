import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyslogFramer } from '../../../../src/shipper/inputs/syslog/framing.ts';

test('octet-counted and newline frames, split anywhere across chunks', () => {
  const stream = '11 <13>1 - - x<13>line one\r\n5 <1>ab<13>line two\n';
  for (let cut = 1; cut < stream.length; cut++) {
    const f = new SyslogFramer(1000);
    const frames = [...f.push(Buffer.from(stream.slice(0, cut))).frames, ...f.push(Buffer.from(stream.slice(cut))).frames].map(String);
    assert.deepEqual(frames, ['<13>1 - - x', '<13>line one', '<1>ab', '<13>line two'], `cut at ${cut}`);
  }
});

test('framing errors: bad count, frame over the maximum, endless line', () => {
  assert.match(new SyslogFramer(100).push(Buffer.from('0 <1>')).error ?? '', /invalid octet count/);
  assert.match(new SyslogFramer(100).push(Buffer.from('500 <1>x')).error ?? '', /over max_message_bytes/);
  assert.match(new SyslogFramer(100).push(Buffer.alloc(200, 'a')).error ?? '', /without a newline/);
  const f = new SyslogFramer(100);
  assert.deepEqual(f.push(Buffer.from('<1>ok\n12x')).frames.map(String), ['<1>ok']);
});

test('a last line without newline is delivered at the end', () => {
  const f = new SyslogFramer(100);
  assert.deepEqual(f.push(Buffer.from('<1>a\n<1>b')).frames.map(String), ['<1>a']);
  assert.equal(String(f.end()), '<1>b');
});
