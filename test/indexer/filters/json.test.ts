import { type FilterCase, runFilterCases } from './run-cases.ts';

const TS = '2000-01-01T00:00:00.000Z';

const cases: FilterCase[] = [
  { name: 'object merged into the root', options: { source: 'message' }, input: { '@timestamp': TS, message: '{"level":"ERROR","user":{"id":7}}' }, expected: { '@timestamp': TS, message: '{"level":"ERROR","user":{"id":7}}', level: 'ERROR', user: { id: 7 } } },
  { name: 'into a target', options: { source: 'message', target: '[payload]', remove_field: ['message'] }, input: { message: '[1,2]' }, expected: { payload: [1, 2] } },
  { name: '@timestamp is read as a timestamp, @metadata merges into metadata', options: { source: 'm' }, input: { '@timestamp': TS, m: '{"@timestamp":"2024-05-01T14:00:00+02:00","@metadata":{"id":"x"}}' }, expected: { '@timestamp': '2024-05-01T12:00:00.000Z', m: '{"@timestamp":"2024-05-01T14:00:00+02:00","@metadata":{"id":"x"}}' }, expectedMetadata: { id: 'x' } },
  { name: 'a bad @timestamp is kept aside and tagged', options: { source: 'm' }, input: { '@timestamp': TS, m: '{"@timestamp":"soon"}' }, expected: { '@timestamp': TS, m: '{"@timestamp":"soon"}', '_@timestamp': 'soon', tags: ['_timestampparsefailure'] } },
  { name: 'invalid JSON tags _jsonparsefailure and skips common options', options: { source: 'message', add_tag: ['parsed'] }, input: { message: '{"a":' }, expected: { message: '{"a":', tags: ['_jsonparsefailure'] } },
  { name: 'skip_on_invalid_json', options: { source: 'message', skip_on_invalid_json: true }, input: { message: 'plain text' }, expected: { message: 'plain text' } },
  { name: 'a scalar without target is a failure', options: { source: 'message' }, input: { message: '42' }, expected: { message: '42', tags: ['_jsonparsefailure'] } },
  { name: 'a scalar with a target is fine', options: { source: 'message', target: 'n' }, input: { message: '42' }, expected: { message: '42', n: 42 } },
  { name: 'missing source: nothing happens', options: { source: 'message', add_tag: ['x'] }, input: { other: 1 }, expected: { other: 1 } },
  { name: 'an already structured source is used as it is', options: { source: 'payload', target: 'copy' }, input: { payload: { a: 1 } }, expected: { payload: { a: 1 }, copy: { a: 1 } } },
  { name: 'custom failure tag', options: { source: 'message', tag_on_failure: ['bad_json'] }, input: { message: 'nope' }, expected: { message: 'nope', tags: ['bad_json'] } },
];

runFilterCases('json', cases);
