import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultWorkers, indexerConfigSchema } from '../../../src/indexer/config.ts';

test('no pipelines: the default pipeline (topic logs, auto codec, index from the topic, kafka ids, earliest)', () => {
  const config = indexerConfigSchema.parse(undefined);
  assert.equal(config.pipelines.length, 1);
  const [p] = config.pipelines;
  assert.deepEqual(p!.topics, ['logs']);
  assert.equal(p!.codec, 'auto');
  assert.equal(p!.auto_offset_reset, 'earliest');
  assert.equal(p!.group_id, 'loglane-logs');
  assert.equal(p!.dead_letter_topic, 'loglane-dlq-logs');
  const out = p!.outputs[0]!;
  assert.ok('elasticsearch' in out);
  assert.equal(out.elasticsearch.index, '%{[@metadata][kafka][topic]}');
  assert.equal(out.elasticsearch.document_id, 'kafka');
  assert.equal(config.kafka.bootstrap_servers, null);
  assert.equal(config.elasticsearch.hosts, null);
  assert.equal(p!.workers, defaultWorkers());
});

test('one filter worker thread by default when the machine has a second core, none on one core', () => {
  assert.equal(defaultWorkers(1), 0);
  assert.equal(defaultWorkers(2), 1);
  assert.equal(defaultWorkers(16), 1);
});

test('a configured pipeline keeps its settings; filters are validated', () => {
  const config = indexerConfigSchema.parse({
    pipelines: [
      {
        name: 'apps',
        topics_pattern: '^app-.*',
        max_poll_records: 10,
        fetch_max_wait_ms: 2000,
        auto_offset_reset: 'latest',
        filters: [{ mutate: { add_tag: ['x'] } }],
        outputs: [{ elasticsearch: { index: 'logs-%{+yyyy.MM.dd}' } }, { kafka: { topic: 'logs-errors', if: '[level] == "ERROR"' } }],
      },
    ],
  });
  const p = config.pipelines[0]!;
  assert.equal(p.topics_pattern, '^app-.*');
  assert.equal(p.max_poll_records, 10);
  assert.equal(p.outputs.length, 2);
});

const bad: [string, unknown, (string | number)[]][] = [
  ['topics and topics_pattern both missing', { pipelines: [{ name: 'a' }] }, ['pipelines', 0, 'topics']],
  ['unknown filter', { pipelines: [{ topics: ['t'], filters: [{ grokk: {} }] }] }, ['pipelines', 0, 'filters', 0, 'grokk']],
  ['bad regex', { pipelines: [{ topics_pattern: '(' }] }, ['pipelines', 0, 'topics_pattern']],
  ['bad output condition', { pipelines: [{ topics: ['t'], outputs: [{ kafka: { topic: 'x', if: '[a] ==' } }] }] }, ['pipelines', 0, 'outputs', 0, 'kafka', 'if']],
  ['duplicate names', { pipelines: [{ topics: ['t'] }, { topics: ['u'] }] }, ['pipelines', 1, 'name']],
  ['unknown key', { pipelines: [{ topics: ['t'], group: 'g' }] }, ['pipelines', 0]],
];
for (const [name, input, path] of bad) {
  test(`invalid: ${name}`, () => {
    const result = indexerConfigSchema.safeParse(input);
    assert.equal(result.success, false);
    assert.ok(
      result.error!.issues.some((i) => JSON.stringify(i.path) === JSON.stringify(path)),
      JSON.stringify(result.error!.issues.map((i) => i.path)),
    );
  });
}
