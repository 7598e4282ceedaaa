/** The HTTP side of the engine worker: starts it, forwards calls, turns failures back into errors. */
import { Worker } from 'node:worker_threads';
import { LoglaneError } from '../../errors/loglane-error.ts';
import { EsError, internalError, isWireError } from '../errors.ts';
import type { EngineArgs, EngineClient, EngineMethod, EngineResult } from './api.ts';
import type { WorkerInit, WorkerResponse } from './worker.ts';

export class WorkerEngineClient implements EngineClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  #nextId = 1;
  #closed = false;
  #exitError: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  static async start(init: WorkerInit): Promise<WorkerEngineClient> {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { workerData: init, name: 'loglane-store-engine' });
    const client = new WorkerEngineClient(worker);
    await new Promise<void>((resolve, reject) => {
      const onFirst = (message: WorkerResponse) => {
        if (message.id !== 0) return;
        worker.off('message', onFirst);
        if (message.ok) resolve();
        else {
          const detail = (message.error as { message?: string }).message ?? String(message.error);
          reject(new LoglaneError('LOGLANE_ERR_STORE_STORAGE', `the store could not open its data: ${detail}`, { retriable: false, context: { dir: init.options.dir } }));
        }
      };
      worker.on('message', onFirst);
      worker.once('error', reject);
    });
    worker.on('message', (message: WorkerResponse | { closed: true }) => client.#onMessage(message));
    worker.on('error', (error) => client.#fail(error));
    worker.on('exit', (code) => client.#fail(new LoglaneError('LOGLANE_ERR_STORE_ENGINE_EXIT', `the store engine thread exited (code ${code})`, { retriable: false })));
    return client;
  }

  call<M extends EngineMethod>(method: M, ...args: EngineArgs<M>): Promise<EngineResult<M>> {
    if (this.#exitError) return Promise.reject(internalError(this.#exitError.message));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ id, method, args });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#exitError) return;
    await new Promise<void>((resolve) => {
      const onMessage = (message: { closed?: boolean }) => {
        if (message.closed) {
          this.#worker.off('message', onMessage);
          resolve();
        }
      };
      this.#worker.on('message', onMessage);
      this.#worker.postMessage({ close: true });
    });
    await this.#worker.terminate();
  }

  #onMessage(message: WorkerResponse | { closed: true }): void {
    if ('closed' in message) return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.ok) pending.resolve(message.value);
    else if (isWireError(message.error)) pending.reject(EsError.fromWire(message.error));
    else pending.reject(internalError((message.error as { message?: string }).message ?? 'engine failure'));
  }

  #fail(error: Error): void {
    if (this.#closed && !this.#pending.size) return;
    this.#exitError = error;
    for (const pending of this.#pending.values()) pending.reject(internalError(error.message));
    this.#pending.clear();
  }
}
