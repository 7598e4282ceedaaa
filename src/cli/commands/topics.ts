/** `loglane topics list|describe|create|delete|alter` against any Kafka cluster. */
import type { Command } from 'commander';
import { formatTable, printResult } from '../table.ts';
import { collectConfig, kafkaTarget, loadAdmin, parseCount, withKafkaOptions } from './kafka-options.ts';

const TOPIC_RESOURCE = 2;
const SOURCE_TOPIC_CONFIG = 1;

export function registerTopics(program: Command): void {
  const topics = program.command('topics').description('list, describe, create, delete and alter Kafka topics');

  withKafkaOptions(topics.command('list').description('list topics with their partition counts')).action(async (_o: unknown, command: Command) => {
    const { bootstrap, json } = await kafkaTarget(command);
      const { withAdmin } = await loadAdmin();
    const rows = await withAdmin(bootstrap, async (admin) => {
      const names = await admin.listTopics();
      const metadata = names.length > 0 ? await admin.metadata({ topics: names }) : undefined;
      return names.sort().map((name) => ({ topic: name, partitions: metadata?.topics.get(name)?.partitionsCount ?? 0 }));
    });
    printResult(json, rows, () => formatTable(['TOPIC', 'PARTITIONS'], rows.map((r) => [r.topic, r.partitions])));
  });

  withKafkaOptions(topics.command('describe <topic...>').description('partitions, offsets and non-default configs of topics')).action(
    async (names: string[], _o: unknown, command: Command) => {
      const { bootstrap, json } = await kafkaTarget(command);
      const { withAdmin, partitionOffsets } = await loadAdmin();
      const described = await withAdmin(bootstrap, async (admin) => {
        const metadata = await admin.metadata({ topics: names });
        const configs = await admin.describeConfigs({ resources: names.map((resourceName) => ({ resourceType: TOPIC_RESOURCE, resourceName })) });
        const result = [];
        for (const name of names) {
          const topic = metadata.topics.get(name);
          const count = topic?.partitionsCount ?? 0;
          const offsets = await partitionOffsets(admin, name, count);
          const overrides = Object.fromEntries(
            (configs.find((c) => c.resourceName === name)?.configs ?? []).filter((c) => c.configSource === SOURCE_TOPIC_CONFIG).map((c) => [c.name, c.value]),
          );
          result.push({
            topic: name,
            id: topic?.id,
            partitions: offsets.map((o) => ({ ...o, leader: topic?.partitions[o.partition]?.leader ?? -1, replicas: topic?.partitions[o.partition]?.replicas ?? [] })),
            configs: overrides,
          });
        }
        return result;
      });
      printResult(json, described, () =>
        described
          .map((t) => {
            const configs = Object.entries(t.configs).map(([k, v]) => `${k}=${v}`).join(', ') || '(defaults)';
            return `Topic: ${t.topic}  id: ${t.id}  partitions: ${t.partitions.length}  configs: ${configs}\n${formatTable(
              ['PARTITION', 'LEADER', 'REPLICAS', 'EARLIEST', 'LATEST', 'RECORDS'],
              t.partitions.map((p) => [p.partition, p.leader, p.replicas.join(','), p.earliest, p.latest, p.latest - p.earliest]),
            )}`;
          })
          .join('\n'),
      );
    },
  );

  withKafkaOptions(topics.command('create <topic>').description('create a topic'))
    .option('-p, --partitions <n>', 'number of partitions (default: the broker\'s num.partitions)', parseCount)
    .option('-r, --replication-factor <n>', 'replicas per partition (default: the broker\'s)', parseCount)
    .option('--topic-config <key=value>', 'a topic config (repeatable), e.g. retention.ms=86400000', collectConfig)
    .action(async (name: string, options: { partitions?: number; replicationFactor?: number; topicConfig?: Record<string, string> }, command: Command) => {
      const { bootstrap, json } = await kafkaTarget(command);
      const { withAdmin } = await loadAdmin();
      const [created] = await withAdmin(bootstrap, (admin) =>
        admin.createTopics({
          topics: [name],
          partitions: options.partitions ?? -1,
          replicas: options.replicationFactor ?? -1,
          configs: Object.entries(options.topicConfig ?? {}).map(([key, value]) => ({ name: key, value })),
        }),
      );
      printResult(json, created, () => `created topic ${name} (${created?.partitions} partitions, id ${created?.id})\n`);
    });

  withKafkaOptions(topics.command('delete <topic...>').description('delete topics and all their records')).action(async (names: string[], _o: unknown, command: Command) => {
    const { bootstrap, json } = await kafkaTarget(command);
      const { withAdmin } = await loadAdmin();
    await withAdmin(bootstrap, (admin) => admin.deleteTopics({ topics: names }));
    printResult(json, { deleted: names }, () => `deleted ${names.join(', ')}\n`);
  });

  withKafkaOptions(topics.command('alter <topic>').description('change topic configs or add partitions'))
    .option('--topic-config <key=value>', 'set a topic config (repeatable)', collectConfig)
    .option('--delete-topic-config <key>', 'remove a topic config override (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('-p, --partitions <n>', 'raise the partition count to n', parseCount)
    .action(async (name: string, options: { topicConfig?: Record<string, string>; deleteTopicConfig?: string[]; partitions?: number }, command: Command) => {
      const { bootstrap, json } = await kafkaTarget(command);
      const { withAdmin } = await loadAdmin();
      await withAdmin(bootstrap, async (admin) => {
        const changes = [
          ...Object.entries(options.topicConfig ?? {}).map(([key, value]) => ({ name: key, configOperation: 0 as const, value })),
          ...(options.deleteTopicConfig ?? []).map((key) => ({ name: key, configOperation: 1 as const })),
        ];
        if (changes.length > 0) await admin.incrementalAlterConfigs({ resources: [{ resourceType: TOPIC_RESOURCE, resourceName: name, configs: changes }] });
        if (options.partitions !== undefined) await admin.createPartitions({ topics: [{ name, count: options.partitions, assignments: [] }] });
      });
      printResult(json, { topic: name, ...options }, () => `altered topic ${name}\n`);
    });
}
