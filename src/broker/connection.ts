/**
 * One client connection: framing, pipelining and backpressure. Requests are handled as
 * they arrive (a long-polling Fetch does not block a Metadata request behind it from
 * being processed) but responses leave strictly in request order, as Kafka clients
 * require. A connection stops reading while too many of its requests are in flight or
 * while the socket cannot take more output, so a fast client cannot grow the broker's
 * memory without bound.
 *
 * Anything wrong with the bytes a client sends closes that connection only, with the
 * reason logged and counted; it never reaches other connections or the process.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../telemetry/logger.ts';
import { brokerMetrics } from './metrics.ts';
import { FrameDecoder } from './protocol/frame-decoder.ts';
import { readInto } from './socket-reads.ts';

export interface ClientInfo {
  readonly id: number;
  readonly remote: string;
  /** Resolves when the connection closes. */
  readonly closed: Promise<void>;
  isClosed(): boolean;
  /** Calls `listener` once when the connection closes; returns the unsubscribe (long polls use it). */
  onClose(listener: () => void): () => void;
}

/** Thrown by a router to close the connection with a logged reason. */
export class CloseConnection extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.name = 'CloseConnection';
    this.reason = reason;
  }
}

/**
 * Turns one request frame into its response frame chunks, or null when no response is due
 * (acks=0). When the chunks are views of buffers that will be reused (pooled fetch reads),
 * the router passes `hold` the function that frees them: the connection calls it once the
 * socket took the response's last chunk or the connection closed, never earlier.
 */
export type Router = (frame: Buffer, client: ClientInfo, hold: (release: () => void) => void) => Promise<Buffer[] | null>;

export interface ConnectionOptions {
  maxFrameBytes: number;
  /** Requests of one connection handled concurrently before reading pauses. */
  maxInFlight: number;
  logger: Logger;
}

interface Slot {
  chunks: Buffer[] | null | undefined;
  /** Frees the buffers the chunks are views of; null when there is nothing to free (or once done). */
  release: (() => void) | null;
}

function releaseSlot(slot: Slot): void {
  const release = slot.release;
  if (release === null) return;
  slot.release = null;
  release();
}

const PRODUCE_API_KEY = 0;

let nextConnectionId = 1;

export class Connection implements ClientInfo {
  readonly id = nextConnectionId++;
  readonly remote: string;
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  readonly #router: Router;
  readonly #options: ConnectionOptions;
  readonly #decoder: FrameDecoder;
  readonly #queue: Slot[] = [];
  /** Written slots whose buffers wait for the socket's write callback. */
  readonly #writing = new Set<Slot>();
  readonly #closeListeners = new Set<() => void>();
  #closed = false;
  #ending = false;
  #pausedForInFlight = false;
  #pausedForDrain = false;

  constructor(socket: Socket, router: Router, options: ConnectionOptions) {
    this.#socket = socket;
    this.#router = router;
    this.#options = options;
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    // Produce frames may reuse one assembly buffer: the produce handler appends them
    // synchronously, before this connection reads its next chunk (handlers/produce.ts).
    this.#decoder = new FrameDecoder({ maxFrameBytes: options.maxFrameBytes, transient: (apiKey) => apiKey === PRODUCE_API_KEY });
    let markClosed!: () => void;
    this.closed = new Promise((resolve) => {
      markClosed = resolve;
    });
    socket.setNoDelay(true);
    // Reads go straight into the decoder's buffers (socket-reads.ts) where Node allows it.
    const inPlace = readInto(socket, {
      nextBuffer: () => this.#decoder.readTarget(),
      onRead: (bytes) => this.#onFrames(() => this.#decoder.filled(bytes)),
    });
    if (!inPlace) {
      socket.on('data', (chunk: Buffer) => this.#onFrames(() => this.#decoder.push(chunk)));
      // The broker's server accepts sockets paused (pauseOnConnect); a 'data' listener alone does not resume them.
      socket.resume();
    }
    socket.on('drain', () => {
      this.#pausedForDrain = false;
      this.#updateFlow();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') options.logger.debug({ err: error, client: this.remote }, 'socket error');
    });
    socket.on('close', () => {
      this.#closed = true;
      // The handle is closed: libuv no longer holds any queued write, and nothing unwritten will be sent.
      for (const slot of this.#queue) releaseSlot(slot);
      for (const slot of this.#writing) releaseSlot(slot);
      this.#writing.clear();
      markClosed();
      for (const listener of this.#closeListeners) listener();
      this.#closeListeners.clear();
    });
  }

  get closeListenerCount(): number {
    return this.#closeListeners.size;
  }

  onClose(listener: () => void): () => void {
    if (this.#closed) {
      listener();
      return () => {};
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Ends the connection after the responses already queued have been written. Reading goes
   * on (requests that arrive now are dropped): the socket closes once the client's end of
   * the connection is read. (Pausing would stop a socket that reads into chosen buffers
   * from ever reading that end, and keep it open until destroyed.)
   */
  end(): void {
    if (this.#closed || this.#ending) return;
    this.#ending = true;
    if (this.#queue.length === 0) this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  get inFlight(): number {
    return this.#queue.length;
  }

  #onFrames(decode: () => Buffer[]): void {
    if (this.#closed) return;
    let frames: Buffer[];
    try {
      frames = decode();
    } catch (error) {
      this.#fail('bad_frame', error);
      return;
    }
    if (this.#ending) return;
    for (const frame of frames) {
      if (this.#closed) return;
      this.#handle(frame);
    }
  }

  #handle(frame: Buffer): void {
    const slot: Slot = { chunks: undefined, release: null };
    this.#queue.push(slot);
    this.#updateFlow();
    const hold = (release: () => void) => {
      const previous = slot.release;
      slot.release =
        previous === null
          ? release
          : () => {
              previous();
              release();
            };
    };
    let pending: Promise<Buffer[] | null>;
    try {
      pending = this.#router(frame, this, hold);
    } catch (error) {
      this.#fail(error instanceof CloseConnection ? error.reason : 'handler_error', error);
      return;
    }
    pending.then(
      (chunks) => {
        slot.chunks = chunks;
        // Closed: the response will never be written (the close handler may already have run).
        if (this.#closed) releaseSlot(slot);
        else this.#flush();
      },
      (error: unknown) => {
        releaseSlot(slot);
        this.#fail(error instanceof CloseConnection ? error.reason : 'handler_error', error);
      },
    );
  }

  #flush(): void {
    if (this.#closed) return;
    let wrote = false;
    while (this.#queue.length > 0 && this.#queue[0]!.chunks !== undefined) {
      const slot = this.#queue.shift()!;
      const { chunks } = slot;
      if (!chunks || chunks.length === 0) {
        releaseSlot(slot);
        continue;
      }
      if (!wrote) this.#socket.cork();
      wrote = true;
      const last = chunks.length - 1;
      for (let i = 0; i < last; i++) {
        if (!this.#socket.write(chunks[i]!)) this.#pausedForDrain = true;
      }
      let ok: boolean;
      if (slot.release === null) {
        ok = this.#socket.write(chunks[last]!);
      } else {
        // The write callback runs once the socket took the last chunk (or failed to, being destroyed).
        this.#writing.add(slot);
        ok = this.#socket.write(chunks[last]!, () => {
          this.#writing.delete(slot);
          releaseSlot(slot);
        });
      }
      if (!ok) this.#pausedForDrain = true;
    }
    if (wrote) this.#socket.uncork();
    if (this.#ending && this.#queue.length === 0) this.#socket.end();
    this.#updateFlow();
  }

  #updateFlow(): void {
    if (this.#closed || this.#ending) return;
    this.#pausedForInFlight = this.#queue.length >= this.#options.maxInFlight;
    if (this.#pausedForInFlight || this.#pausedForDrain) this.#socket.pause();
    else this.#socket.resume();
  }

  #fail(reason: string, error: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    brokerMetrics.connectionsClosedForErrors.inc({ reason });
    const level = reason === 'handler_error' ? 'error' : 'warn';
    this.#options.logger[level](
      { client: this.remote, reason, err: error, code: reason === 'handler_error' ? undefined : 'LOGLANE_ERR_BROKER_FRAME' },
      `closing Kafka connection from ${this.remote}: ${error instanceof Error ? error.message : String(error)}`,
    );
    this.#socket.destroy();
  }
}
