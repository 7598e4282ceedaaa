/**
 * What the HTTP side of one running store shares between requests: configuration,
 * identity, the write backpressure account and the test fault injector.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { StoreConfig } from './config.ts';

export class StoreState {
  readonly config: StoreConfig;
  readonly clusterUuid: string;
  readonly nodeName: string;
  readonly nodeId: string;
  readonly startedAt = Date.now();
  /** Bytes of bulk items handed to the engine and not yet answered. */
  queuedBytes = 0;
  readonly #rejectedOnce = new Set<string>();
  #itemCounter = 0;

  constructor(config: StoreConfig, clusterUuid: string) {
    this.config = config;
    this.clusterUuid = clusterUuid;
    this.nodeName = config.node_name ?? hostname();
    this.nodeId = createHash('sha256').update(`${clusterUuid}/${this.nodeName}`).digest('base64url').slice(0, 22);
  }

  /** Whether the write queue can take `bytes` more. */
  admit(bytes: number): boolean {
    return this.queuedBytes === 0 || this.queuedBytes + bytes <= this.config.write_queue_max_bytes;
  }

  /**
   * Test mode (`test_reject_every_nth_item`): rejects the first attempt of every Nth item;
   * the same item sent again (a retry) is accepted.
   */
  injectRejection(itemBytes: Uint8Array | string): boolean {
    const every = this.config.test_reject_every_nth_item;
    if (every <= 0) return false;
    const key = createHash('sha1').update(itemBytes).digest('base64');
    if (this.#rejectedOnce.has(key)) {
      this.#rejectedOnce.delete(key);
      return false;
    }
    if (++this.#itemCounter % every !== 0) return false;
    this.#rejectedOnce.add(key);
    return true;
  }
}
