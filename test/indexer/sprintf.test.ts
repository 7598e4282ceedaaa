import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Event } from '../../src/indexer/event.ts';
import { compileTemplate, sprintf, TemplateSyntaxError } from '../../src/indexer/sprintf.ts';

const event = new Event(
  {
    '@timestamp': '2024-01-07T09:05:03.042Z',
    service: 'api',
    nested: { level: 'warn' },
    list: ['a', 'b'],
    object: { x: 1 },
    count: 3,
    nothing: null,
  },
  { index: 'meta' },
);

const cases: [string, string][] = [
  ['logs', 'logs'],
  ['%{service}', 'api'],
  ['%{[service]}-x', 'api-x'],
  ['logs-%{[nested][level]}', 'logs-warn'],
  ['%{[@metadata][index]}', 'meta'],
  ['%{list}', 'a,b'],
  ['%{object}', '{"x":1}'],
  ['%{count}', '3'],
  ['%{missing}-%{nothing}', '%{missing}-%{nothing}'],
  ['logs-%{+yyyy.MM.dd}', 'logs-2024.01.07'],
  ['%{+YYYY.MM.dd HH:mm:ss.SSS}', '2024.01.07 09:05:03.042'],
  ['%{+xxxx.ww}', '2024.01'],
  ['%{+MMM MMMM EEE EEEE d D}', 'Jan January Sun Sunday 7 7'],
  ["%{+yyyy'T'HH Z ZZ}", '2024T09 +0000 +00:00'],
  ['%{+hh a}', '09 AM'],
  ['%{+%s}', '1704618303'],
  ['100%', '100%'],
  ['%{unclosed', '%{unclosed'],
];

for (const [template, expected] of cases) {
  test(`sprintf ${JSON.stringify(template)}`, () => {
    assert.equal(sprintf(event, template), expected);
  });
}

test('ISO week-based year at a year boundary', () => {
  const e = new Event({ '@timestamp': '2021-01-01T00:00:00.000Z' });
  assert.equal(sprintf(e, '%{+xxxx.ww}'), '2020.53');
  assert.equal(sprintf(e, '%{+yyyy.ww}'), '2021.53');
});

test('templates are compiled once and report bad references and patterns', () => {
  assert.equal(compileTemplate('a-%{b}'), compileTemplate('a-%{b}'));
  assert.equal(compileTemplate('plain').constant, true);
  assert.throws(() => compileTemplate('x-%{a[b]}'), (e: unknown) => e instanceof TemplateSyntaxError && e.column === 5);
  assert.throws(() => compileTemplate('%{+yyyy-qq}'), TemplateSyntaxError);
});
