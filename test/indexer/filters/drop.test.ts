import { type FilterCase, runFilterCases } from './run-cases.ts';

runFilterCases('drop', [{ name: 'drops the event', options: {}, input: { a: 1 }, expected: null }]);
// random() is 0.5 in the runner: 60 % drops it, 40 % keeps it (and then common options apply).
runFilterCases('drop', [
  { name: 'percentage 60 drops when random < 0.6', options: { percentage: 60 }, input: { a: 1 }, expected: null },
  { name: 'percentage 40 keeps when random >= 0.4', options: { percentage: 40, add_tag: ['sampled'] }, input: { a: 1 }, expected: { a: 1, tags: ['sampled'] } },
  { name: 'percentage 0 never drops', options: { percentage: 0 }, input: { a: 1 }, expected: { a: 1 } },
] satisfies FilterCase[]);
