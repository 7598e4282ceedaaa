import { type FilterCase, runFilterCases } from './run-cases.ts';

const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36';
const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

const cases: FilterCase[] = [
  {
    name: 'desktop Chrome on Windows',
    options: { source: 'agent' },
    input: { agent: chrome },
    expected: { agent: chrome, user_agent: { name: 'Chrome', version: '120.0.6099.109', major: '120', minor: '0', patch: '6099', os: { name: 'Windows', version: '10', full: 'Windows 10' }, device: { name: 'Other' }, original: chrome } },
  },
  {
    name: 'Mobile Safari on an iPhone, custom target, no original',
    options: { source: 'agent', target: '[ua]', keep_original: false },
    input: { agent: iphone },
    expected: { agent: iphone, ua: { name: 'Mobile Safari', version: '17.1', major: '17', minor: '1', os: { name: 'iOS', version: '17.1', full: 'iOS 17.1' }, device: { name: 'iPhone', type: 'mobile' } } },
  },
  { name: 'unknown agent', options: { source: 'agent', keep_original: false }, input: { agent: 'curl-ish thing' }, expected: { agent: 'curl-ish thing', user_agent: { name: 'Other', os: { name: 'Other' }, device: { name: 'Other' } } } },
  { name: 'missing source: nothing happens', options: { source: 'agent', add_tag: ['ua'] }, input: {}, expected: {} },
];

runFilterCases('useragent', cases);
