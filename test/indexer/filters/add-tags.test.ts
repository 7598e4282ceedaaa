import { type FilterCase, runFilterCases } from './run-cases.ts';

const cases: FilterCase[] = [
  { name: 'adds templated tags once', options: { tags: ['web', 'env_%{env}', 'web'] }, input: { env: 'prod', tags: ['old'] }, expected: { env: 'prod', tags: ['old', 'web', 'env_prod'] } },
  { name: 'a single tag as a string', options: { tags: 'one' }, input: {}, expected: { tags: ['one'] } },
  { name: 'into another list field', options: { tags: ['a'], target: '[labels]' }, input: { labels: 'x' }, expected: { labels: ['x', 'a'] } },
];
runFilterCases('add_tags', cases);
