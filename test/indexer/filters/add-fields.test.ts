import { type FilterCase, runFilterCases } from './run-cases.ts';

const cases: FilterCase[] = [
  { name: 'sets templated and structured values, replacing existing ones', options: { fields: { env: 'prod', '[service][name]': '%{app}-svc', limits: { cpu: 2 }, flag: true, app: 'replaced' } }, input: { app: 'shop' }, expected: { app: 'replaced', env: 'prod', service: { name: 'shop-svc' }, limits: { cpu: 2 }, flag: true } },
  { name: 'under a target', options: { fields: { a: 1, '[b][c]': 'x' }, target: '[meta]' }, input: {}, expected: { meta: { a: 1, b: { c: 'x' } } } },
  { name: 'into metadata', options: { fields: { '[@metadata][index]': 'logs-%{app}' } }, input: { app: 'shop' }, expected: { app: 'shop' }, expectedMetadata: { index: 'logs-shop' } },
];
runFilterCases('add_fields', cases);
