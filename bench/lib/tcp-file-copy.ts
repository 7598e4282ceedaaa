/**
 * The plain TCP-to-file copy that broker benchmarks use as their ceiling: the least work
 * any server can do to take bytes off a loopback socket into a durable file, and to send
 * a file back. Run as child processes so that each side has its own event loop, like the
 * broker and kcat:
 *
 *   node tcp-file-copy.ts sink <file>          listen; write every received chunk with
 *                                              fs.writeSync, fsync at the end, print
 *                                              `done <bytes> <cpu-seconds>`, exit
 *   node tcp-file-copy.ts send <port> <file>   connect, print `ready`, and on a `go` line
 *                                              on stdin stream the file (1 MiB reads),
 *                                              print `sent <cpu-seconds>`, exit
 *   node tcp-file-copy.ts serve <file>         listen; stream the file to the first client
 *                                              (1 MiB reads), print `sent <cpu-seconds>`, exit
 *   node tcp-file-copy.ts recv <port>          print `ready`; on `go` connect, count and
 *                                              discard bytes until EOF, print
 *                                              `done <bytes> <cpu-seconds>`
 *
 * Servers print `listening <port>` first (127.0.0.1, port picked by the system). CPU
 * seconds count from the start of the transfer (connection or `go`), not process start.
 */
import fs from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';

const READ_CHUNK = 1024 * 1024;
const [mode, ...args] = process.argv.slice(2);

let cpuAtStart = process.cpuUsage();

/** Marks the start of the transfer: `cpu()` counts from here, not from process start. */
function startTransfer(): void {
  cpuAtStart = process.cpuUsage();
}

/** CPU seconds used since startTransfer(). */
function cpu(): string {
  const usage = process.cpuUsage(cpuAtStart);
  return ((usage.user + usage.system) / 1e6).toFixed(3);
}

function onGo(run: () => void): void {
  let buffered = '';
  process.stdin.setEncoding('utf8').on('data', (d: string) => {
    buffered += d;
    if (buffered.includes('go\n')) {
      process.stdin.pause();
      run();
    }
  });
}

function listen(onConnection: (socket: Socket) => void): void {
  const server = createServer((socket) => {
    server.close();
    onConnection(socket);
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`);
  });
}

function fail(error: unknown): never {
  process.stderr.write(`tcp-file-copy ${mode}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

switch (mode) {
  case 'sink': {
    const fd = fs.openSync(args[0]!, 'w');
    let bytes = 0;
    listen((socket) => {
      startTransfer();
      socket.on('data', (chunk: Buffer) => {
        let done = 0;
        while (done < chunk.length) done += fs.writeSync(fd, chunk, done, chunk.length - done, bytes + done);
        bytes += chunk.length;
      });
      socket.on('error', fail);
      socket.on('end', () => {
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        process.stdout.write(`done ${bytes} ${cpu()}\n`);
        process.exit(0);
      });
    });
    break;
  }
  case 'send': {
    const socket = createConnection({ port: Number(args[0]), host: '127.0.0.1' }, () => {
      process.stdout.write('ready\n');
      onGo(() => {
        startTransfer();
        pipeline(fs.createReadStream(args[1]!, { highWaterMark: READ_CHUNK }), socket).then(() => {
          process.stdout.write(`sent ${cpu()}\n`);
          process.exit(0);
        }, fail);
      });
    });
    socket.on('error', fail);
    break;
  }
  case 'serve': {
    listen((socket) => {
      startTransfer();
      pipeline(fs.createReadStream(args[0]!, { highWaterMark: READ_CHUNK }), socket).then(() => {
        process.stdout.write(`sent ${cpu()}\n`);
        process.exit(0);
      }, fail);
    });
    break;
  }
  case 'recv': {
    process.stdout.write('ready\n');
    onGo(() => {
      startTransfer();
      let bytes = 0;
      const socket = createConnection({ port: Number(args[0]), host: '127.0.0.1' });
      socket.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      socket.on('error', fail);
      socket.on('end', () => {
        process.stdout.write(`done ${bytes} ${cpu()}\n`);
        process.exit(0);
      });
    });
    break;
  }
  default:
    fail(`unknown mode "${mode}"; use sink, send, serve or recv`);
}
