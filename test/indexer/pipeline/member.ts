/**
 * One indexer pipeline in its own process, for the crash test to SIGKILL:
 * `node member.ts <bootstrap> <store-url> <topic> <group>`. Prints "joined" once in the group.
 */
import { pipelineSchema } from '../../../src/indexer/config.ts';
import { startPipeline } from '../../../src/indexer/pipeline/pipeline.ts';
import { silentLogger } from '../../../src/telemetry/logger.ts';

const [bootstrap, storeUrl, topic, group] = process.argv.slice(2) as [string, string, string, string];
const config = pipelineSchema.parse({ name: 'member', topics: [topic], group_id: group, max_poll_records: 20, fetch_max_wait_ms: 100, session_timeout_ms: 6000 });
const pipeline = await startPipeline({ config, bootstrap: [bootstrap], clientId: 'crash-member', cluster: { hosts: [storeUrl] }, logger: silentLogger() });
await pipeline.joined;
process.stdout.write('joined\n');
