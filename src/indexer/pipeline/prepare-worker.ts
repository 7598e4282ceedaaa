/**
 * Worker threads that prepare batches (prepare.ts: decode, filters, bulk lines) while
 * the pipeline's thread fetches, sends and commits — `workers: N` of a pipeline. Batches
 * go round-robin to the workers; each answer resolves its own batch, so the pipeline
 * keeps its batch order. This file is both the pool (main thread) and the worker's code.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { PipelineConfig } from '../config.ts';
import { createBatchPreparer, fromWire, type PreparedBatchData, preparedTransferList, type WireBatch, wireTransferList } from './prepare.ts';

interface Request {
  id: number;
  batch: WireBatch;
}

type Reply = { id: number; ok: true; data: PreparedBatchData } | { id: number; ok: false; error: string };

export interface PrepareWorkers {
  prepare(batch: WireBatch): Promise<PreparedBatchData>;
  close(): Promise<void>;
}

/** Young generation of a prepare worker: 3 × a 64 MB semi-space (V8 sizes it from the semi-space). */
const YOUNG_GENERATION_MB = 192;

export function startPrepareWorkers(config: PipelineConfig, count: number): PrepareWorkers {
  const pending = new Map<number, { resolve: (d: PreparedBatchData) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let closed = false;
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const workers = Array.from({ length: count }, () => {
    // A larger young generation than the default (16 MB semi-spaces): a batch allocates
    // events, strings and bulk lines that die young; fewer scavenges copy the batch's live
    // objects fewer times (garbage collection was ~15 % of a worker's time).
    const worker = new Worker(new URL(import.meta.url), { workerData: { loglanePrepare: true, config }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    worker.on('message', (reply: Reply) => {
      const p = pending.get(reply.id);
      if (p === undefined) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.data);
      else p.reject(new Error(reply.error));
    });
    worker.on('error', (error) => failAll(error));
    worker.on('exit', (code) => {
      if (!closed) failAll(new Error(`a prepare worker exited with code ${code}`));
    });
    worker.unref();
    return worker;
  });
  return {
    prepare(batch) {
      if (closed) return Promise.reject(new Error('the prepare workers are closed'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, batch } satisfies Request, wireTransferList(batch));
      });
    },
    async close() {
      closed = true;
      failAll(new Error('the prepare workers are closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

if (!isMainThread && (workerData as { loglanePrepare?: boolean } | null)?.loglanePrepare === true) {
  const prepare = createBatchPreparer((workerData as { config: PipelineConfig }).config);
  parentPort!.on('message', ({ id, batch }: Request) => {
    let reply: Reply;
    let transfer: ArrayBuffer[] = [];
    try {
      const data = prepare(fromWire(batch));
      reply = { id, ok: true, data };
      transfer = preparedTransferList(data);
    } catch (error) {
      reply = { id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    parentPort!.postMessage(reply, transfer);
  });
}
