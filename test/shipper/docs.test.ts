import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfigText } from '../../src/config/load.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

test('every shipper: YAML example in docs/shipper.md is a valid configuration', async () => {
  const doc = await readFile(path.join(REPO_ROOT, 'docs', 'shipper.md'), 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 6);
  let checked = 0;
  for (const block of blocks) {
    // Fragments (an input's ndjson keys) are not whole configurations.
    if (!block.startsWith('shipper:')) continue;
    const config = parseConfigText(block, 'docs/shipper.md', { INGEST_TOKEN: 'x' });
    assert.ok(config.shipper.inputs.length >= 1);
    checked++;
  }
  assert.ok(checked >= 5, `${checked} examples checked`);
});

test('shipper configuration mistakes are reported with their key path', () => {
  const text = ['shipper:', '  inputs:', '    - type: file', '      paths: []', '    - type: syslog', '      protocol: sctp', '  kafka:', '    topics:', '      - if: "[a] =="', '        topic: x', '    compression: brotli', '  lanes:', '    field: "[unclosed"', '    topics: {}', ''].join('\n');
  try {
    parseConfigText(text, 'loglane.yml', {});
    assert.fail('expected an error');
  } catch (error) {
    const issues = (error as { context: { issues: { path: string; line: number }[] } }).context.issues;
    assert.deepEqual(
      issues.map((i) => i.path).sort(),
      ['shipper.inputs[0].paths', 'shipper.inputs[1].protocol', 'shipper.kafka.compression', 'shipper.kafka.topics[0].if', 'shipper.lanes.field'].sort(),
    );
  }
});
