/**
 * Who writes the full-text databases (fts-store.ts): a thread of their own (the store's
 * default, so that tokenizing runs beside the engine thread's writes), or the calling
 * thread (`inline`, for embedding and tests). Calls for one index apply in call order.
 */
import { Worker } from 'node:worker_threads';
import { FtsStore, type FtsBatch, fullTextError } from './fts-store.ts';

export interface FtsExecutor {
  /** Starts writing the index in `dir` (its fts.db exists and is caught up). */
  open(uuid: string, dir: string): void;
  /** Applies a batch; resolves once it is committed. */
  apply(uuid: string, batch: FtsBatch): Promise<void>;
  optimize(uuid: string): Promise<void>;
  /** Copies the write-ahead log into the database file (Elasticsearch's flush). */
  checkpoint(uuid: string): Promise<void>;
  /** Stops writing the index (after the batches already handed over). */
  close(uuid: string): Promise<void>;
  /** Closes everything; the executor is unusable afterwards. */
  shutdown(): Promise<void>;
}

export type FtsRequest =
  | { id: number; op: 'open'; uuid: string; dir: string }
  | { id: number; op: 'apply'; uuid: string; batch: FtsBatch }
  | { id: number; op: 'optimize' | 'checkpoint' | 'close'; uuid: string }
  | { id: number; op: 'shutdown' };

/** A request before the executor numbers it. */
type FtsCall = FtsRequest extends infer R ? (R extends FtsRequest ? Omit<R, 'id'> : never) : never;

export type FtsResponse = { id: number; ok: true } | { id: number; ok: false; message: string };

/** Runs one request against the open stores (shared by both executors). */
export function handleFtsRequest(stores: Map<string, FtsStore>, request: FtsRequest): void {
  if (request.op === 'shutdown') {
    for (const store of stores.values()) store.close();
    stores.clear();
    return;
  }
  if (request.op === 'open') {
    stores.get(request.uuid)?.close();
    stores.set(request.uuid, FtsStore.open(request.dir));
    return;
  }
  const store = stores.get(request.uuid);
  if (!store) throw new Error(`the full-text index of ${request.uuid} is not open`);
  if (request.op === 'apply') store.apply(request.batch);
  else if (request.op === 'optimize') store.optimize();
  else if (request.op === 'checkpoint') store.checkpoint();
  else {
    store.close();
    stores.delete(request.uuid);
  }
}

/** Writes in the calling thread, synchronously. */
export class InlineFtsExecutor implements FtsExecutor {
  readonly #stores = new Map<string, FtsStore>();

  #run(request: FtsRequest): Promise<void> {
    try {
      handleFtsRequest(this.#stores, request);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  open(uuid: string, dir: string): void {
    handleFtsRequest(this.#stores, { id: 0, op: 'open', uuid, dir });
  }

  apply(uuid: string, batch: FtsBatch): Promise<void> {
    return this.#run({ id: 0, op: 'apply', uuid, batch });
  }

  optimize(uuid: string): Promise<void> {
    return this.#run({ id: 0, op: 'optimize', uuid });
  }

  checkpoint(uuid: string): Promise<void> {
    return this.#run({ id: 0, op: 'checkpoint', uuid });
  }

  close(uuid: string): Promise<void> {
    return this.#run({ id: 0, op: 'close', uuid });
  }

  shutdown(): Promise<void> {
    return this.#run({ id: 0, op: 'shutdown' });
  }
}

/** Writes in a worker thread (fts-worker.ts). */
export class ThreadFtsExecutor implements FtsExecutor {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #nextId = 1;
  #failure: Error | null = null;
  #stopped = false;

  constructor() {
    this.#worker = new Worker(new URL('./fts-worker.ts', import.meta.url), { name: 'loglane-store-fts' });
    this.#worker.on('message', (message: FtsResponse) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if (message.ok) pending.resolve();
      else pending.reject(fullTextError(message.message));
    });
    this.#worker.on('error', (error) => this.#fail(fullTextError(`the store's full-text thread failed: ${error.message}`, error)));
    this.#worker.on('exit', (code) => this.#fail(fullTextError(`the store's full-text thread exited (code ${code})`)));
    // Referenced only while requests are outstanding: an idle thread must not keep the process alive.
    this.#worker.unref();
  }

  #fail(error: Error): void {
    if (this.#stopped) return;
    this.#failure = error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #send(request: FtsCall): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<void>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  open(uuid: string, dir: string): void {
    // Its failure surfaces on the index's first apply.
    this.#send({ op: 'open', uuid, dir }).catch(() => {});
  }

  apply(uuid: string, batch: FtsBatch): Promise<void> {
    return this.#send({ op: 'apply', uuid, batch });
  }

  optimize(uuid: string): Promise<void> {
    return this.#send({ op: 'optimize', uuid });
  }

  checkpoint(uuid: string): Promise<void> {
    return this.#send({ op: 'checkpoint', uuid });
  }

  close(uuid: string): Promise<void> {
    return this.#send({ op: 'close', uuid });
  }

  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    await this.#send({ op: 'shutdown' }).catch(() => {});
    this.#stopped = true;
    await this.#worker.terminate();
  }
}
