import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { Connection, type Router } from '../../src/broker/connection.ts';
import { canReadIntoChosenBuffers, readInto } from '../../src/broker/socket-reads.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';

/** A server on a free port whose accepted sockets are handed to `onSocket`; closed after the test. */
async function serve(t: { after: (fn: () => Promise<void> | void) => void }, pauseOnConnect: boolean, onSocket: (socket: Socket) => void): Promise<number> {
  const accepted: Socket[] = [];
  const server: Server = createServer({ pauseOnConnect }, (socket) => {
    accepted.push(socket);
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

async function client(t: { after: (fn: () => void) => void }, port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  t.after(() => socket.destroy());
  await once(socket, 'connect');
  return socket;
}

function pattern(bytes: number): Buffer {
  const data = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 31 + (i >> 11)) & 0xff;
  return data;
}

test('this Node lets the broker read accepted sockets into its own buffers', () => {
  // If a Node upgrade breaks this, the broker still works (it falls back to 'data'
  // events), but produce costs about twice the CPU: see docs/benchmarks.md, "broker".
  assert.equal(canReadIntoChosenBuffers(), true);
});

test('reads land in the buffers the sink picks, in order, with no data events; end and close still arrive', async (t) => {
  const data = pattern(3 * 1024 * 1024 + 17);
  const received = Buffer.alloc(data.length);
  let filled = 0;
  let reads = 0;
  let dataEvents = 0;
  let installed: boolean | undefined;
  const sizes = [1, 100, 4096, 65_536, 1 << 20];
  let current: Buffer = Buffer.alloc(0);
  const done = new Promise<void>((resolve, reject) => {
    void serve(t, true, (socket) => {
      socket.on('data', () => dataEvents++);
      socket.on('error', reject);
      installed = readInto(socket, {
        nextBuffer: () => {
          // Alternate between views of the result (zero copy) and a scratch buffer of another size.
          const size = Math.max(1, Math.min(sizes[reads % sizes.length]!, data.length - filled));
          current = reads % 2 === 0 && filled < data.length ? received.subarray(filled, filled + size) : Buffer.alloc(size);
          return current;
        },
        onRead: (bytes) => {
          if (current.buffer !== received.buffer) current.copy(received, filled, 0, bytes);
          filled += bytes;
          reads++;
        },
      });
      socket.on('end', () => socket.end());
      socket.on('close', () => resolve());
    }).then(async (port) => {
      const socket = await client(t, port);
      for (let at = 0; at < data.length; at += 300_000) socket.write(data.subarray(at, at + 300_000));
      socket.end();
    }, reject);
  });
  await done;
  assert.equal(installed, true);
  assert.equal(dataEvents, 0);
  assert.equal(filled, data.length);
  assert.ok(received.equals(data));
  assert.ok(reads > 5);
});

test('pause() stops the reads and resume() restarts them', async (t) => {
  let server!: Socket;
  let bytes = 0;
  const port = await serve(t, true, (socket) => {
    server = socket;
    const buffer = Buffer.alloc(1000);
    readInto(socket, { nextBuffer: () => buffer, onRead: (n) => (bytes += n) });
    socket.pause();
    socket.write('x');
  });
  const socket = await client(t, port);
  const x = once(socket, 'data');
  await new Promise<void>((resolve) => socket.write(pattern(10_000), () => resolve()));
  // The server's 'x' arrives after it paused; its event loop kept running meanwhile, without reading.
  await x;
  assert.equal(bytes, 0);
  server.resume();
  while (bytes < 10_000) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(bytes, 10_000);
});

test('a socket that is already reading is left alone (the caller falls back to data events)', async (t) => {
  const result = new Promise<{ installed: boolean; got: number }>((resolve) => {
    void serve(t, false, (socket) => {
      const installed = readInto(socket, { nextBuffer: () => Buffer.alloc(10), onRead: () => assert.fail('not installed') });
      let got = 0;
      socket.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got === 5000) resolve({ installed, got });
      });
    }).then(async (port) => (await client(t, port)).write(pattern(5000)));
  });
  assert.deepEqual(await result, { installed: false, got: 5000 });
});

/** A router that answers every frame with its own bytes. */
const echo: Router = async (frame) => {
  const size = Buffer.alloc(4);
  size.writeInt32BE(frame.length);
  return [size, Buffer.from(frame)];
};

for (const pauseOnConnect of [true, false]) {
  test(`a connection answers pipelined frames ${pauseOnConnect ? 'reading into its own buffers' : 'from data events'}`, async (t) => {
    const port = await serve(t, pauseOnConnect, (socket) => {
      new Connection(socket, echo, { maxFrameBytes: 8 << 20, maxInFlight: 4, logger: silentLogger() });
    });
    const socket = await client(t, port);
    const frames = [10, 300_000, 2, 70_000, 5_000_000, 1].map((n, i) => {
      const body = pattern(n + i);
      body.writeInt16BE(i % 2 === 0 ? 0 : 3, 0); // API key 0 (Produce) frames are assembled in reused buffers
      return body;
    });
    const wire = Buffer.concat(frames.flatMap((body) => [sizeOf(body), body]));
    const answered = new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      let got = 0;
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        got += chunk.length;
        if (got >= wire.length) resolve(Buffer.concat(chunks));
      });
    });
    socket.write(wire);
    assert.ok((await answered).equals(wire));
  });
}

function sizeOf(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return size;
}
