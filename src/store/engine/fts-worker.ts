/** The store's full-text thread (see fts-executor.ts): applies requests in arrival order. */
import { parentPort } from 'node:worker_threads';
import { type FtsRequest, handleFtsRequest } from './fts-executor.ts';
import type { FtsStore } from './fts-store.ts';

const stores = new Map<string, FtsStore>();
const port = parentPort!;

port.on('message', (request: FtsRequest) => {
  try {
    handleFtsRequest(stores, request);
    port.postMessage({ id: request.id, ok: true });
  } catch (error) {
    port.postMessage({ id: request.id, ok: false, message: (error as Error)?.message ?? String(error) });
  }
});
