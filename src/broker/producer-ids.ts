/**
 * Producer ids for idempotent producers (InitProducerId). Ids must never repeat, also
 * across restarts, so they are handed out from blocks whose upper end is persisted
 * before any id of the block is used.
 */
export interface ProducerIdStore {
  /** The first id not yet reserved (persisted). */
  readonly nextProducerIdBlock: number;
  reserveProducerIds(upTo: number): void;
}

export const PRODUCER_ID_BLOCK = 1000;

export class ProducerIdAllocator {
  readonly #store: ProducerIdStore;
  #next: number;
  #limit: number;

  constructor(store: ProducerIdStore) {
    this.#store = store;
    this.#next = store.nextProducerIdBlock;
    this.#limit = this.#next;
  }

  next(): number {
    if (this.#next >= this.#limit) {
      this.#limit = this.#next + PRODUCER_ID_BLOCK;
      this.#store.reserveProducerIds(this.#limit);
    }
    return this.#next++;
  }
}
