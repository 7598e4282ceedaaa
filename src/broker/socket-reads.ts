/**
 * Reads of an accepted socket into buffers the broker picks, instead of the fresh 64 KiB
 * buffer Node allocates for every read. For a busy producer those short-lived buffers
 * (16,000 per GiB) were the broker's largest source of garbage, and each was copied once
 * more into the Produce frame being assembled. With reads into chosen buffers the kernel
 * copies a Produce frame's bytes straight to where the frame is assembled
 * (FrameDecoder.readTarget), and nothing is allocated per read.
 *
 * Node offers this as the `onread` option of `new net.Socket()` / `net.connect()`
 * (`buffer` may be a function that returns the buffer for the next read), but not for
 * sockets a server accepts: `net.createServer()` has no such option (Node 24). This
 * module gives an accepted socket the same state the option would have given it:
 *
 * - the socket keeps `onread`'s buffer, callback and buffer function under three
 *   symbols private to Node. They are found once, by constructing two unconnected client
 *   sockets with a documented `onread` and looking which of their own properties hold
 *   the values passed;
 * - the socket's handle is pointed at the first buffer with `useUserBuffer`, which is
 *   what the option does for a client socket.
 *
 * The server must be created with `pauseOnConnect: true`, so that no read has started
 * before this. When anything is not as expected (another Node version), `readInto`
 * changes nothing and returns false, and the caller reads 'data' events as before;
 * test/broker/socket-reads.test.ts checks that the broker's Node takes the fast path.
 */
import { Socket } from 'node:net';

export interface ReadSink {
  /** The buffer the next read fills (from its start, at most its length). Must not throw. */
  nextBuffer(): Buffer;
  /** `bytes` bytes were read into the buffer `nextBuffer()` returned last. Must not throw. */
  onRead(bytes: number): void;
}

interface OnreadSymbols {
  buffer: symbol;
  callback: symbol;
  generator: symbol;
}

interface StreamHandle {
  reading?: boolean;
  useUserBuffer?: (buffer: Uint8Array) => void;
}

let found: OnreadSymbols | null | undefined;

/** The symbols under which a net.Socket keeps its `onread` option, or null when they cannot be told apart. */
function onreadSymbols(): OnreadSymbols | null {
  if (found !== undefined) return found;
  found = null;
  try {
    const buffer = Buffer.alloc(1);
    const generator = () => buffer;
    const callback = () => true;
    const plain = new Socket({ onread: { buffer, callback } }) as unknown as Record<symbol, unknown>;
    const generated = new Socket({ onread: { buffer: generator, callback } }) as unknown as Record<symbol, unknown>;
    const holding = (socket: Record<symbol, unknown>, value: unknown) => Object.getOwnPropertySymbols(socket).filter((s) => socket[s] === value);
    const bufferKeys = holding(plain, buffer);
    const callbackKeys = holding(plain, callback);
    const generatorKeys = holding(generated, generator);
    (plain as unknown as Socket).destroy();
    (generated as unknown as Socket).destroy();
    if (bufferKeys.length === 1 && callbackKeys.length === 1 && generatorKeys.length === 1) {
      found = { buffer: bufferKeys[0]!, callback: callbackKeys[0]!, generator: generatorKeys[0]! };
    }
  } catch {
    found = null;
  }
  return found;
}

/** Whether `readInto` can work on this Node at all. */
export function canReadIntoChosenBuffers(): boolean {
  return onreadSymbols() !== null;
}

/**
 * Makes every read of `socket` (accepted paused, see the module comment) fill
 * `sink.nextBuffer()` and report to `sink.onRead`, then starts reading. 'data' events are
 * not emitted; pause(), resume(), 'end' and 'close' work as usual. Returns false, having
 * changed nothing, when this Node does not allow it.
 */
export function readInto(socket: Socket, sink: ReadSink): boolean {
  const symbols = onreadSymbols();
  const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
  if (symbols === null || handle === null || handle === undefined || typeof handle.useUserBuffer !== 'function') return false;
  // Reading already started (a server without pauseOnConnect): Node's own buffers are in use.
  if (handle.reading === true || socket.readableFlowing === true) return false;
  const state = socket as unknown as Record<symbol, unknown>;
  if (state[symbols.buffer] !== null || state[symbols.callback] !== null || state[symbols.generator] !== null) return false;
  const first = sink.nextBuffer();
  state[symbols.buffer] = first;
  state[symbols.callback] = (bytes: number) => {
    try {
      sink.onRead(bytes);
    } catch (error) {
      // Thrown from here it would reach no handler and end the process.
      socket.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  };
  state[symbols.generator] = () => sink.nextBuffer();
  handle.useUserBuffer(first);
  socket.resume();
  return true;
}
