/** `loglane groups list|describe|delete|reset-offsets` against any Kafka cluster. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { LoglaneError } from '../../errors/loglane-error.ts';
import type { withAdmin } from '../../kafka/admin.ts';
import { EARLIEST, LATEST } from '../../kafka/offsets.ts';
import { formatTable, printResult } from '../table.ts';
import { kafkaTarget, loadAdmin, withKafkaOptions } from './kafka-options.ts';

export function registerGroups(program: Command): void {
  const groups = program.command('groups').description('list, describe (with lag), delete consumer groups and reset their offsets');

  withKafkaOptions(groups.command('list').description('list consumer groups')).action(async (_o: unknown, command: Command) => {
    const { bootstrap, json } = await kafkaTarget(command);
      const { withAdmin } = await loadAdmin();
    const rows = await withAdmin(bootstrap, async (admin) => [...(await admin.listGroups()).values()].sort((a, b) => a.id.localeCompare(b.id)));
    printResult(json, rows, () => formatTable(['GROUP', 'STATE', 'PROTOCOL TYPE'], rows.map((g) => [g.id, g.state, g.protocolType])));
  });

  withKafkaOptions(groups.command('describe <group...>').description('state, members and per-partition committed offset, end offset and lag')).action(
    async (ids: string[], _o: unknown, command: Command) => {
      const { bootstrap, json } = await kafkaTarget(command);
      const { withAdmin, groupLag } = await loadAdmin();
      const described = await withAdmin(bootstrap, async (admin) => {
        const groupsById = await admin.describeGroups({ groups: ids });
        const result = [];
        for (const id of ids) {
          const group = groupsById.get(id);
          const members = [...(group?.members.values() ?? [])].map((m) => ({ id: m.id, clientId: m.clientId, host: m.clientHost }));
          result.push({ group: id, state: group?.state ?? 'Dead', protocol: group?.protocol ?? '', members, partitions: await groupLag(admin, id) });
        }
        return result;
      });
      printResult(json, described, () =>
        described
          .map((g) => {
            const total = g.partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0);
            return `Group: ${g.group}  state: ${g.state}  protocol: ${g.protocol || '-'}  members: ${g.members.length}  total lag: ${total}\n${formatTable(
              ['TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG'],
              g.partitions.map((p) => [p.topic, p.partition, p.committed, p.end, p.lag]),
            )}`;
          })
          .join('\n'),
      );
    },
  );

  withKafkaOptions(groups.command('delete <group...>').description('delete empty consumer groups and their committed offsets')).action(
    async (ids: string[], _o: unknown, command: Command) => {
      const { bootstrap, json } = await kafkaTarget(command);
      const { withAdmin } = await loadAdmin();
      await withAdmin(bootstrap, (admin) => admin.deleteGroups({ groups: ids }));
      printResult(json, { deleted: ids }, () => `deleted ${ids.join(', ')}\n`);
    },
  );

  withKafkaOptions(groups.command('reset-offsets <group>').description('move a group\'s committed offsets (dry run unless --execute); refused while the group has members'))
    .requiredOption('-t, --topic <topic[:partitions]>', 'the topic, optionally with partitions, e.g. logs or logs:0,2')
    .addOption(new Option('--to-earliest', 'to the earliest offset').conflicts(['toLatest', 'toDatetime', 'toOffset']))
    .addOption(new Option('--to-latest', 'to the latest offset').conflicts(['toDatetime', 'toOffset']))
    .addOption(new Option('--to-datetime <iso>', 'to the first offset at or after a time, e.g. 2026-11-23T10:00:00Z').conflicts(['toOffset']))
    .option('--to-offset <n>', 'to a given offset (clamped into the partition\'s range)', (v: string) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`expected an offset, got "${v}"`);
      return Number(v);
    })
    .option('--execute', 'apply the change (without it, only print the plan)')
    .action(async (groupId: string, options: ResetOptions, command: Command) => {
      const { bootstrap, json } = await kafkaTarget(command);
      const { withAdmin } = await loadAdmin();
      const plan = await withAdmin(bootstrap, (admin) => resetOffsets(admin, groupId, options));
      printResult(json, plan, () =>
        `${formatTable(['TOPIC', 'PARTITION', 'NEW OFFSET'], plan.partitions.map((p) => [plan.topic, p.partition, p.offset]))}${options.execute ? 'offsets reset\n' : 'dry run: add --execute to apply\n'}`,
      );
    });
}

interface ResetOptions {
  topic: string;
  toEarliest?: boolean;
  toLatest?: boolean;
  toDatetime?: string;
  toOffset?: number;
  execute?: boolean;
}

type AdminClient = Parameters<Parameters<typeof withAdmin>[1]>[0];

async function resetOffsets(admin: AdminClient, groupId: string, options: ResetOptions) {
  const [topic, partitionList] = options.topic.split(':') as [string, string | undefined];
  let target: bigint | 'offset';
  if (options.toEarliest) target = EARLIEST;
  else if (options.toLatest) target = LATEST;
  else if (options.toDatetime !== undefined) {
    const time = Date.parse(options.toDatetime);
    if (Number.isNaN(time)) throw new LoglaneError('LOGLANE_ERR_CLI_USAGE', `--to-datetime: "${options.toDatetime}" is not an ISO 8601 date-time`, { retriable: false });
    target = BigInt(time);
  } else if (options.toOffset !== undefined) target = 'offset';
  else throw new LoglaneError('LOGLANE_ERR_CLI_USAGE', 'say where to: --to-earliest, --to-latest, --to-datetime <iso> or --to-offset <n>', { retriable: false });

  const group = (await admin.describeGroups({ groups: [groupId] })).get(groupId);
  if (group && group.members.size > 0) {
    throw new LoglaneError(
      'LOGLANE_ERR_CLI_USAGE',
      `group ${groupId} has ${group.members.size} active member(s) (state ${group.state}); stop its consumers first, offsets can only be reset while a group is empty`,
      { retriable: true, context: { groupId, state: group.state } },
    );
  }
  const metadata = await admin.metadata({ topics: [topic] });
  const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
  const partitions = partitionList ? partitionList.split(',').map(Number) : Array.from({ length: count }, (_, i) => i);
  const bad = partitions.find((p) => !Number.isInteger(p) || p < 0 || p >= count);
  if (bad !== undefined) throw new LoglaneError('LOGLANE_ERR_CLI_USAGE', `topic ${topic} has no partition ${bad} (it has ${count})`, { retriable: false });

  const lookup = async (timestamp: bigint) => {
    const [listed] = await admin.listOffsets({ topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }] });
    return new Map((listed?.partitions ?? []).map((p) => [p.partitionIndex, Number(p.offset)]));
  };
  let offsets: Map<number, number>;
  if (target === 'offset') {
    const [earliest, latest] = await Promise.all([lookup(EARLIEST), lookup(LATEST)]);
    offsets = new Map(partitions.map((p) => [p, Math.min(Math.max(options.toOffset!, earliest.get(p) ?? 0), latest.get(p) ?? 0)]));
  } else {
    offsets = await lookup(target);
    // A time after the last record has no offset: that means "the end".
    if (typeof target === 'bigint' && target >= 0n) {
      const latest = await lookup(LATEST);
      for (const p of partitions) if ((offsets.get(p) ?? -1) < 0) offsets.set(p, latest.get(p) ?? 0);
    }
  }
  const planned = partitions.map((partition) => ({ partition, offset: offsets.get(partition) ?? 0 }));
  if (options.execute) {
    await admin.alterConsumerGroupOffsets({
      groupId,
      topics: [{ name: topic, partitionOffsets: planned.map((p) => ({ partition: p.partition, offset: BigInt(p.offset) })) }],
    });
  }
  return { group: groupId, topic, executed: options.execute === true, partitions: planned };
}
