import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from '../../../../src/shipper/inputs/file/line-splitter.ts';
import type { Line } from '../../../../src/shipper/multiline.ts';

function split(chunks: (string | Buffer)[], max = 100, encoding: 'utf-8' | 'latin1' = 'utf-8') {
  const splitter = new LineSplitter(max, encoding);
  const out: Line[] = [];
  let position = 0;
  for (const c of chunks) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    splitter.push(b, position, out);
    position += b.length;
  }
  return { out, splitter };
}

test('lines with byte offsets, CRLF removed, a partial line waits for its newline across chunks', () => {
  const { out, splitter } = split(['ab\r\ncd', 'e\n', 'tail']);
  assert.deepEqual(
    out.map((l) => [l.text, l.offset, l.end]),
    [
      ['ab', 0, 4],
      ['cde', 4, 8],
    ],
  );
  assert.equal(splitter.partialStart, 8);
});

test('a line over max_line_bytes is truncated and flagged, also when it spans chunks; the next line is intact', () => {
  const { out, splitter } = split(['0123456789abc\nok\n', '0123456', '789xyz', 'q\nafter\n'], 10);
  assert.deepEqual(
    out.map((l) => [l.text, l.offset, l.end, l.flags]),
    [
      ['0123456789', 0, 14, ['truncated']],
      ['ok', 14, 17, undefined],
      ['0123456789', 17, 32, ['truncated']],
      ['after', 32, 38, undefined],
    ],
  );
  assert.equal(splitter.truncated, 2);
});

test('bytes that are not UTF-8 are replaced and flagged; latin1 decodes every byte', () => {
  const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]);
  const utf = split([bytes]);
  assert.equal(utf.out[0]!.text, 'caf\uFFFD');
  assert.deepEqual(utf.out[0]!.flags, ['invalid_utf8']);
  assert.equal(utf.splitter.invalid, 1);
  const latin = split([bytes], 100, 'latin1');
  assert.equal(latin.out[0]!.text, 'café');
  assert.equal(latin.out[0]!.flags, undefined);
  // A real U+FFFD in valid UTF-8 is not a problem.
  assert.equal(split(['a\uFFFDb\n']).out[0]!.flags, undefined);
});
