/**
 * Fetch: whole record batches from the batch that contains fetch_offset, within
 * max_bytes and partition_max_bytes (the first non-empty partition may exceed them by
 * one batch, KIP-74, so consumers always progress), with long polling: when fewer than
 * min_bytes are available the request waits for an append to one of its partitions, its
 * max_wait_ms, the client disconnecting, or shutdown.
 *
 * Fetch sessions (KIP-227) are declined: the answer always carries session id 0, so
 * clients keep sending full fetch requests.
 */
import { FetchWaiters } from '../fetch-waiters.ts';
import { brokerMetrics } from '../metrics.ts';
import { KafkaError, KafkaProtocolError } from '../protocol/error-codes.ts';
import { type FetchRequest, fetchApi } from '../protocol/messages/fetch.ts';
import { ZERO_UUID } from '../protocol/codec.ts';
import { LEADER_EPOCH } from '../topic-manager.ts';
import { defineHandler, type RequestContext } from './handler.ts';


export const fetchHandler = defineHandler(fetchApi, async (request, ctx) => {
  if (request.sessionId !== 0 && request.sessionEpoch > 0) {
    // An incremental fetch for a session we never created.
    return { throttleTimeMs: 0, errorCode: KafkaError.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] };
  }
  const deadline = Date.now() + Math.max(0, request.maxWaitMs);
  for (;;) {
    const { response, bytes, keys, hasError } = await readOnce(request, ctx);
    const remaining = deadline - Date.now();
    if (bytes >= request.minBytes || hasError || remaining <= 0 || keys.length === 0 || ctx.broker.isStopping() || ctx.client.isClosed()) {
      return response;
    }
    // This answer is dropped: nothing else references the buffers it read into.
    ctx.leases?.releaseAll();
    await new Promise<void>((resolve) => {
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        cancel();
        unsubscribe();
        resolve();
      };
      const timer = setTimeout(done, remaining);
      const cancel = ctx.broker.fetchWaiters.wait(keys, done);
      const unsubscribe = ctx.client.onClose(done);
    });
  }
});

async function readOnce(request: FetchRequest, ctx: RequestContext) {
  const { topics } = ctx.broker;
  const version = ctx.apiVersion;
  let budget = request.maxBytes > 0 ? request.maxBytes : 0x7fffffff;
  let bytes = 0;
  let hasError = false;
  const keys: string[] = [];
  const responses = [];
  for (const requested of request.topics) {
    const topic = version >= 13 ? topics.topicById(requested.topicId) : topics.topic(requested.topic);
    const name = topic?.meta.name ?? requested.topic;
    const partitions = [];
    for (const p of requested.partitions) {
      partitions.push(await readPartition(p));
    }
    responses.push({ topic: name, topicId: topic?.meta.id ?? ZERO_UUID, partitions });

    async function readPartition(p: FetchRequest['topics'][number]['partitions'][number]) {
      const base = {
        partitionIndex: p.partition,
        highWatermark: -1,
        lastStableOffset: -1,
        logStartOffset: -1,
        abortedTransactions: [],
        preferredReadReplica: -1,
        records: null as Buffer | null,
      };
      const log = topic?.partitions[p.partition];
      if (!log) {
        hasError = true;
        const errorCode = version >= 13 && !topic ? KafkaError.UNKNOWN_TOPIC_ID : KafkaError.UNKNOWN_TOPIC_OR_PARTITION;
        return { ...base, errorCode };
      }
      const offsets = { highWatermark: log.logEndOffset, lastStableOffset: log.logEndOffset, logStartOffset: log.logStartOffset };
      if (p.currentLeaderEpoch > LEADER_EPOCH) {
        hasError = true;
        return { ...base, ...offsets, errorCode: KafkaError.UNKNOWN_LEADER_EPOCH };
      }
      keys.push(FetchWaiters.key(name, p.partition));
      const limit = Math.max(0, Math.min(p.partitionMaxBytes, budget));
      try {
        const records = await log.read(p.fetchOffset, limit, { minOneBatch: bytes === 0, leases: ctx.leases });
        if (records.length > 0) {
          bytes += records.length;
          budget -= records.length;
          brokerMetrics.bytesOut.inc({ topic: name }, records.length);
        }
        return { ...base, ...offsets, errorCode: KafkaError.NONE, records };
      } catch (error) {
        hasError = true;
        if (error instanceof KafkaProtocolError) return { ...base, ...offsets, errorCode: error.errorCode };
        ctx.broker.logger.error({ err: error, topic: name, partition: p.partition }, 'read failed');
        return { ...base, ...offsets, errorCode: KafkaError.KAFKA_STORAGE_ERROR };
      }
    }
  }
  return { response: { throttleTimeMs: 0, errorCode: KafkaError.NONE, sessionId: 0, responses }, bytes, keys, hasError };
}
