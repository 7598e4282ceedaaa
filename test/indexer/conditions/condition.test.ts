import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConditionSyntaxError, compileCondition } from '../../../src/indexer/conditions/condition.ts';
import { Event } from '../../../src/indexer/event.ts';

const event = new Event(
  {
    message: 'GET /index.html 503',
    response: '503',
    bytes: 1024,
    level: 'ERROR',
    tags: ['web', 'prod'],
    flag: false,
    empty: '',
    nothing: null,
    nested: { service: 'api', list: [1, 2] },
    obj: { a: 1 },
  },
  { kafka: { topic: 'logs-app' } },
);

/** [condition, expected value on `event`] */
const truths: [string, boolean][] = [
  ['[level] == "ERROR"', true],
  ["[level] == 'ERROR'", true],
  ['[level] != "ERROR"', false],
  ['[response] == 503', true],
  ['[response] >= 500', true],
  ['[response] < 500', false],
  ['[bytes] > 1000', true],
  ['[bytes] <= 1024', true],
  ['[bytes] == "1024"', true],
  ['[level] > "DEBUG"', true],
  ['[level] > 5', false],
  ['[missing] > 5', false],
  ['[missing] == 5', false],
  ['[message] =~ /^GET/', true],
  ['[message] =~ /\\d{3}$/', true],
  ['[message] =~ "index"', true],
  ['[message] !~ /POST/', true],
  ['[missing] =~ /x/', false],
  ['[missing] !~ /x/', true],
  ['[bytes] =~ /^10/', true],
  ['[message] =~ /a\\/b/', false],
  ['"web" in [tags]', true],
  ['"dev" in [tags]', false],
  ['"dev" not in [tags]', true],
  ['[level] in ["ERROR", "FATAL"]', true],
  ['[level] in ["WARN"]', false],
  ['[level] not in ["WARN"]', true],
  ['"GET" in [message]', true],
  ['"a" in [obj]', true],
  ['2 in [nested][list]', true],
  ['[nested][service] == "api"', true],
  ['[@metadata][kafka][topic] =~ /^logs-/', true],
  ['[level]', true],
  ['[empty]', true],
  ['[flag]', false],
  ['[nothing]', false],
  ['[missing]', false],
  ['![missing]', true],
  ['not [missing]', true],
  ['!([level] == "ERROR")', false],
  ['[level] == "ERROR" and [bytes] > 10', true],
  ['[level] == "ERROR" and [bytes] > 10000', false],
  ['[level] == "WARN" or [bytes] > 10', true],
  ['[level] == "ERROR" xor [bytes] > 10', false],
  ['[level] == "ERROR" nand [bytes] > 10', false],
  ['[level] == "WARN" nand [bytes] > 10', true],
  ['true or false and false', true],
  ['(true or false) and false', false],
  ['[flag] == false', true],
  ['[nested][list] == [1, 2]', true],
  ['[obj] == [obj]', true],
  ['not [level] in ["WARN"]', true],
  ['[level] =~ /(?i)error/', true],
  ['[message] =~ /\\h{3}/', true],
];

for (const [text, expected] of truths) {
  test(`condition ${text} → ${expected}`, () => {
    assert.equal(compileCondition(text)(event), expected);
  });
}

/** [condition, column, expected text contains, found text contains] */
const errors: [string, number, string, string][] = [
  ['', 1, 'a value', 'end of expression'],
  ['[a] ==', 7, 'after "=="', 'end of expression'],
  ['[a] = 1', 5, '"==" or "=~"', '"="'],
  ['[a] == 1 &&  [b]', 10, '"and"', '"&&"'],
  ['[a] == "x', 8, 'a closing "', 'end of expression'],
  ['([a] == 1', 10, '")"', 'end of expression'],
  ['[a] == 1)', 9, 'the end of the condition', '")"'],
  ['[a] =~ "x" [b]', 12, 'the end of the condition', 'field [b]'],
  ['[a] =~ /(/', 8, 'a valid regex', 'regex /(/'],
  ['[a] =~ 5', 8, 'a /regex/', 'number 5'],
  ['level == "x"', 1, 'write fields as [level]', '"level"'],
  ['[a] in ["x" "y"]', 13, '"," or "]"', 'string "y"'],
  ['[a][b', 4, 'a closing ]', 'end of expression'],
  ['[a] == 1 and', 13, 'a value', 'end of expression'],
  ['[a] # 1', 5, 'an operator', '"#"'],
];

for (const [text, column, expected, found] of errors) {
  test(`condition syntax error in ${JSON.stringify(text)} at column ${column}`, () => {
    assert.throws(
      () => compileCondition(text),
      (error: unknown) => {
        assert.ok(error instanceof ConditionSyntaxError, String(error));
        assert.equal(error.column, column, error.message);
        assert.ok(error.expected.includes(expected), `expected: ${error.expected}`);
        assert.ok(error.found.includes(found), `found: ${error.found}`);
        return true;
      },
    );
  });
}
