/**
 * Reusable buffers for fetch reads. Every fetch used to read into a fresh ~1 MiB buffer,
 * and those short-lived large ArrayBuffers drove most of the broker's mark-compacts.
 *
 * A read leases a buffer; the lease goes with the response it fills and is released
 * only once nothing can read the bytes any more: after the socket took the response's
 * last chunk (write callback), when the connection closed, or when the response was
 * discarded before being written. Released too early, a buffer could be refilled while
 * its old bytes still wait in a socket, and another client would receive them.
 *
 * Reads shorter than `minPooledBytes` or longer than `bufferBytes` (a KIP-74 oversized
 * batch, a large max_bytes) get a fresh buffer as before.
 */

export interface ReadLease {
  readonly buffer: Buffer;
  /** Returns the buffer to its pool; later calls do nothing. */
  release(): void;
}

export interface ReadBufferPoolOptions {
  /** Size of every pooled buffer: librdkafka's and Java's 1 MiB partition fetch plus the index interval and a header fit. */
  bufferBytes?: number;
  /** Reads below this size use fresh buffers. */
  minPooledBytes?: number;
  /** Idle buffers kept; more are dropped when released. */
  maxIdle?: number;
}

export class ReadBufferPool {
  readonly bufferBytes: number;
  readonly minPooledBytes: number;
  readonly maxIdle: number;
  readonly #idle: Buffer[] = [];
  #leased = 0;

  constructor(options: ReadBufferPoolOptions = {}) {
    this.bufferBytes = options.bufferBytes ?? 1024 * 1024 + 64 * 1024;
    this.minPooledBytes = options.minPooledBytes ?? 64 * 1024;
    this.maxIdle = options.maxIdle ?? 32;
  }

  /** A buffer of `bufferBytes` for a read of `length` bytes, or null when the read should use a fresh buffer. */
  lease(length: number): ReadLease | null {
    if (length < this.minPooledBytes || length > this.bufferBytes) return null;
    const buffer = this.#idle.pop() ?? Buffer.allocUnsafeSlow(this.bufferBytes);
    this.#leased++;
    let released = false;
    return {
      buffer,
      release: () => {
        if (released) return;
        released = true;
        this.#leased--;
        if (this.#idle.length < this.maxIdle) this.#idle.push(buffer);
      },
    };
  }

  /** Buffers currently leased (for tests and metrics). */
  get leased(): number {
    return this.#leased;
  }

  get idle(): number {
    return this.#idle.length;
  }
}

/** The leases one response holds; released together once the response is written or dropped. */
export class ReadLeases {
  readonly pool: ReadBufferPool;
  #held: ReadLease[] = [];

  constructor(pool: ReadBufferPool) {
    this.pool = pool;
  }

  keep(lease: ReadLease): void {
    this.#held.push(lease);
  }

  get count(): number {
    return this.#held.length;
  }

  releaseAll(): void {
    const held = this.#held;
    this.#held = [];
    for (const lease of held) lease.release();
  }
}

/** The pool fetch responses read into. */
export const fetchReadBufferPool = new ReadBufferPool();
