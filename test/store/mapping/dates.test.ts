import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateParser } from '../../../src/store/mapping/dates.ts';

const CASES: [string, string | number, number | null][] = [
  ['strict_date_optional_time', '2024-05-01T12:34:56.789Z', Date.UTC(2024, 4, 1, 12, 34, 56, 789)],
  ['strict_date_optional_time', '2024-05-01T12:34:56+02:00', Date.UTC(2024, 4, 1, 10, 34, 56)],
  ['strict_date_optional_time', '2024-05-01', Date.UTC(2024, 4, 1)],
  ['strict_date_optional_time', '2024-05-01T12:34:56.123456789Z', Date.UTC(2024, 4, 1, 12, 34, 56, 123)],
  ['strict_date_optional_time', '2024-13-01', null],
  ['strict_date_optional_time', '2024-02-30', null],
  ['strict_date_optional_time', 'yesterday', null],
  ['epoch_millis', 1714566896789, 1714566896789],
  ['epoch_millis', '1714566896789', 1714566896789],
  ['epoch_second', 1714566896, 1714566896000],
  ['strict_date_optional_time||epoch_millis', 1714566896789, 1714566896789],
  ['yyyy-MM-dd HH:mm:ss', '2024-05-01 12:34:56', Date.UTC(2024, 4, 1, 12, 34, 56)],
  ['yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd Z', '2024/05/01', Date.UTC(2024, 4, 1)],
  ['dd/MMM/yyyy:HH:mm:ss Z', '01/May/2024:12:34:56 +0000', Date.UTC(2024, 4, 1, 12, 34, 56)],
  ['basic_date', '20240501', Date.UTC(2024, 4, 1)],
];

for (const [format, value, expected] of CASES) {
  test(`date format ${format} parses ${JSON.stringify(value)}`, () => {
    assert.equal(dateParser(format)(value), expected);
  });
}

test('the common UTC timestamp shapes parse as the general ISO parser does, invalid dates included', () => {
  const parse = dateParser('strict_date_optional_time');
  const cases = [
    '2024-05-01T12:34:56.789Z',
    '2024-05-01T12:34:56Z',
    '1999-12-31T23:59:59.999Z',
    '2024-02-29T00:00:00.000Z',
    '2023-02-29T00:00:00.000Z', // not a leap year
    '2024-13-01T00:00:00.000Z',
    '2024-05-01T24:00:00.000Z',
    '2024-05-01T24:00:01.000Z',
    '2024-05-01T12:60:00.000Z',
    '2024-05-01T12:00:00.0x0Z',
    '0099-05-01T12:00:00.000Z',
  ];
  for (const value of cases) {
    // the general parser sees the same text with an explicit offset, which the fast path leaves alone
    const general = parse(value.replace(/Z$/, '+00:00'));
    assert.equal(parse(value), general, value);
  }
  assert.equal(parse('2024-05-01T12:34:56.789Z'), Date.UTC(2024, 4, 1, 12, 34, 56, 789));
});
