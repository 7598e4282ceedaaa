/**
 * `loglane dlq replay`: runs the dead letters of a pipeline again, after a fix, through
 * the pipeline's codec, filters and elasticsearch outputs (or re-publishes them to a
 * topic). See src/indexer/pipeline/replay.ts for why, and docs/indexer.md.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { LoglaneError } from '../../errors/loglane-error.ts';
import { commandContext } from '../context.ts';
import { formatTable, printResult } from '../table.ts';
import { kafkaTarget, withKafkaOptions } from './kafka-options.ts';

interface ReplayCliOptions {
  topic?: string;
  pipeline?: string;
  es?: string;
  partition?: number[];
  fromBeginning?: boolean;
  fromOffset?: bigint;
  toOffset?: bigint;
  stage?: 'decode' | 'filter' | 'output';
  dryRun?: boolean;
  toIndex?: string;
  republish?: string | true;
  timeoutMs?: number;
}

const offset = (flag: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag} expects an offset (a whole number ≥ 0), got "${value}"`);
  return BigInt(value);
};

export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('inspect and replay the indexer\'s dead-letter topics');
  withKafkaOptions(
    dlq
      .command('replay')
      .description(
        'run dead letters again through their pipeline (codec, filters, elasticsearch outputs) after a fix; dead letters are never removed, still-failing ones stay in the topic. Exit code 1 when some still fail',
      ),
  )
    .option('-t, --topic <topic>', 'the dead-letter topic (default: the dead_letter_topic of --pipeline, or of the only configured pipeline)')
    .option('-p, --pipeline <name>', 'run every letter through this configured pipeline (default: the one named in each letter\'s loglane.dlq.pipeline header)')
    .option('--es <urls>', 'Elasticsearch URL(s), comma-separated (default: indexer.elasticsearch.hosts, else the embedded store)')
    .option('--partition <n...>', 'only these partitions of the dead-letter topic', (v: string, prev: number[] = []) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`--partition expects a partition number, got "${v}"`);
      return [...prev, Number(v)];
    })
    .addOption(new Option('--from-beginning', 'from the earliest dead letter (the default)').conflicts('fromOffset'))
    .option('--from-offset <n>', 'from this dead-letter offset (per partition)', offset('--from-offset'))
    .option('--to-offset <n>', 'stop before this dead-letter offset (default: the end when the replay starts)', offset('--to-offset'))
    .addOption(new Option('--stage <stage>', 'only letters of this stage').choices(['decode', 'filter', 'output']))
    .option('--dry-run', 'decode, filter and build the requests, print what would be indexed where; write nothing')
    .addOption(new Option('--to-index <index>', 'index into this index instead of the output\'s index template').conflicts('republish'))
    .option('--republish [topic]', 'instead of indexing, re-publish the original messages (value, key, headers) to this topic, or to each letter\'s source topic')
    .option('--timeout-ms <ms>', 'give up if the range is not read or the events not acknowledged within this time', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 100) throw new InvalidArgumentError(`--timeout-ms expects milliseconds ≥ 100, got "${v}"`);
      return n;
    }, 60_000)
    .action(async (options: ReplayCliOptions, command: Command) => {
      const { config, logger } = await commandContext(command);
      const { bootstrap, json } = await kafkaTarget(command);
      const [{ replayDeadLetters }, { indexerEndpoints }] = await Promise.all([import('../../indexer/pipeline/replay.ts'), import('../../indexer/component.ts')]);
      const pipelines = config.indexer.pipelines;
      let topic = options.topic;
      if (topic === undefined) {
        const named = options.pipeline === undefined ? (pipelines.length === 1 ? pipelines[0] : undefined) : pipelines.find((p) => p.name === options.pipeline);
        if (named === undefined) {
          throw new LoglaneError('LOGLANE_ERR_CLI_USAGE', `say which dead-letter topic: --topic <topic>, or --pipeline <name> of a configured pipeline (configured: ${pipelines.map((p) => p.name).join(', ')})`, { retriable: false });
        }
        topic = named.dead_letter_topic;
      }
      const hosts = options.es === undefined ? indexerEndpoints(config).hosts : options.es.split(',').map((h) => h.trim()).filter((h) => h !== '');
      if (hosts === undefined || hosts.length === 0) throw new LoglaneError('LOGLANE_ERR_CLI_USAGE', 'no Elasticsearch to replay into: pass --es <url>', { retriable: false });
      for (const host of hosts) if (!URL.canParse(host)) throw new LoglaneError('LOGLANE_ERR_CLI_USAGE', `--es expects URLs such as http://127.0.0.1:9200, got "${host}"`, { retriable: false });
      const report = await replayDeadLetters({
        bootstrap,
        topic,
        pipelines: structuredClone(pipelines) as Parameters<typeof replayDeadLetters>[0]['pipelines'],
        cluster: { ...(structuredClone(config.indexer.elasticsearch) as object), hosts: [...hosts] },
        logger,
        ...(options.pipeline === undefined ? {} : { pipeline: options.pipeline }),
        ...(options.partition === undefined ? {} : { partitions: options.partition }),
        ...(options.fromOffset === undefined ? {} : { fromOffset: options.fromOffset }),
        ...(options.toOffset === undefined ? {} : { toOffset: options.toOffset }),
        ...(options.stage === undefined ? {} : { stage: options.stage }),
        ...(options.toIndex === undefined ? {} : { toIndex: options.toIndex }),
        ...(options.republish === undefined ? {} : { republish: options.republish }),
        dryRun: options.dryRun === true,
        timeoutMs: options.timeoutMs ?? 60_000,
      });
      printResult(json, report, () => {
        const verb = report.dry_run ? 'would index' : 'indexed';
        const head =
          options.republish !== undefined
            ? `${report.dry_run ? 'would re-publish' : 're-published'} ${report.republished} of ${report.read} dead letters read from ${report.topic}`
            : `${verb} ${report.indexed} of ${report.read} dead letters read from ${report.topic} (${report.events} events${report.indices.length > 0 ? ` into ${report.indices.join(', ')}` : ''})`;
        const lines = [`${head}; still failing: ${report.still_failing}${report.skipped > 0 ? `; skipped (other stage): ${report.skipped}` : ''}\n`];
        if (report.failures.length > 0) {
          lines.push(formatTable(['DLQ PARTITION', 'DLQ OFFSET', 'SOURCE', 'REASON'], report.failures.map((f) => [f.dlq_partition, f.dlq_offset, f.source, f.reason])));
        }
        return lines.join('');
      });
      if (report.still_failing > 0) process.exitCode = 1;
    });
}
