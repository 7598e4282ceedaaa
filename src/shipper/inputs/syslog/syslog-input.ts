/**
 * The `syslog` input: RFC 3164 and RFC 5424 messages over UDP (one datagram, one
 * message) or TCP (octet-counted or newline framing). A message that is not valid
 * syslog is shipped as it is (`message`, tag `_syslogparsefailure`), counted and logged
 * with the peer's address; a TCP framing error closes that connection, counted and
 * logged. Over UDP, datagrams that arrive while the output queue is full are counted
 * (reason `queue_full`) and dropped — UDP has no way to slow the sender.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { LoglaneError } from '../../../errors/loglane-error.ts';
import type { Endpoint } from '../../../runtime/component.ts';
import type { Logger } from '../../../telemetry/logger.ts';
import type { SyslogInputConfig } from '../../config.ts';
import { addTags, type Decoration, decorate, type Fields, type ShipperEvent } from '../../event.ts';
import { shipperMetrics } from '../../metrics.ts';
import type { Sink } from '../../sink.ts';
import { SyslogFramer } from './framing.ts';
import { parseSyslog } from './parse.ts';

export const SYSLOG_FAILURE_TAG = '_syslogparsefailure';

export interface SyslogInputOptions {
  config: SyslogInputConfig;
  decoration: Decoration;
  sink: Sink;
  logger: Logger;
}

export interface RunningSyslogInput {
  readonly id: string;
  readonly endpoint: Endpoint;
  stop(): Promise<void>;
}

export async function startSyslogInput(options: SyslogInputOptions): Promise<RunningSyslogInput> {
  const { config, logger } = options;
  const input = config.id;
  const warned = new Map<string, number>();
  const warn = (peer: string, reason: string, message: string, sample?: string) => {
    shipperMetrics.invalidInput.inc({ input, reason });
    // At most one log line per peer and reason every 10 s.
    const key = `${peer} ${reason}`;
    const last = warned.get(key) ?? 0;
    if (Date.now() - last < 10_000) return;
    warned.set(key, Date.now());
    if (warned.size > 10_000) warned.clear();
    logger.warn({ code: 'LOGLANE_ERR_SHIPPER_INPUT', input, peer, reason, sample }, message);
  };

  const toEvent = (bytes: Buffer, peer: string): ShipperEvent => {
    const text = bytes.toString('utf8').replace(/[\r\n]+$/, '');
    const parsed = parseSyslog(text, config.format);
    let fields: Fields;
    if (parsed.ok) {
      fields = { '@timestamp': new Date().toISOString(), ...parsed.fields };
      ((fields.log as Fields).source = { address: peer });
    } else {
      warn(peer, 'invalid_syslog', `invalid syslog message (${parsed.reason}): shipped as it is, tagged ${SYSLOG_FAILURE_TAG}`, text.slice(0, 200));
      fields = { '@timestamp': new Date().toISOString(), message: text, log: { source: { address: peer } }, error: { message: parsed.reason } };
      addTags(fields, [SYSLOG_FAILURE_TAG]);
    }
    decorate(fields, options.decoration);
    return { fields, input };
  };

  if (config.protocol === 'udp') {
    const socket: UdpSocket = createSocket({ type: config.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 8 * 1024 * 1024 });
    socket.on('message', (msg, rinfo) => {
      const peer = `${rinfo.address}:${rinfo.port}`;
      shipperMetrics.bytesRead.inc({ input }, msg.length);
      if (msg.length > config.max_message_bytes) {
        warn(peer, 'too_large', `datagram of ${msg.length} bytes is over max_message_bytes: dropped`);
        return;
      }
      if (options.sink.state() === 'full') {
        warn(peer, 'queue_full', 'output queue full (Kafka slow or down): UDP syslog message dropped');
        return;
      }
      shipperMetrics.eventsRead.inc({ input });
      void options.sink.publish([toEvent(msg, peer)]).catch(() => {});
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(config.port, config.host, () => {
        socket.off('error', reject);
        resolve();
      });
    }).catch((cause: NodeJS.ErrnoException) => {
      throw listenError(config, cause);
    });
    socket.on('error', (error) => logger.warn({ err: error, input }, 'syslog UDP socket error'));
    const address = socket.address();
    return {
      id: input,
      endpoint: { name: `syslog-udp`, host: config.host, port: address.port },
      stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
    };
  }

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const framer = new SyslogFramer(config.max_message_bytes);
    let chain: Promise<void> = Promise.resolve();
    const deliver = (frames: Buffer[]) => {
      if (frames.length === 0) return;
      shipperMetrics.eventsRead.inc({ input }, frames.length);
      const events = frames.map((f) => toEvent(f, peer));
      socket.pause();
      chain = chain.then(() => options.sink.publish(events)).then(
        () => {
          socket.resume();
        },
        () => {
          socket.destroy();
        },
      );
    };
    socket.on('data', (chunk: Buffer) => {
      shipperMetrics.bytesRead.inc({ input }, chunk.length);
      const { frames, error } = framer.push(chunk);
      deliver(frames);
      if (error !== undefined) {
        warn(peer, 'invalid_frame', `syslog TCP framing error (${error}): connection closed`);
        socket.destroy();
      }
    });
    socket.on('end', () => {
      const rest = framer.end();
      if (rest !== undefined) deliver([rest]);
      void chain.then(() => socket.end());
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((cause: NodeJS.ErrnoException) => {
    throw listenError(config, cause);
  });
  const address = server.address() as { port: number };
  return {
    id: input,
    endpoint: { name: 'syslog-tcp', host: config.host, port: address.port },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function listenError(config: SyslogInputConfig, cause: NodeJS.ErrnoException): LoglaneError {
  return new LoglaneError('LOGLANE_ERR_SERVER_LISTEN', `syslog input ${config.id} cannot listen on ${config.protocol} ${config.host}:${config.port}: ${cause.code ?? cause.message}; choose another port (0 picks a free one)`, {
    retriable: false,
    cause,
    context: { input: config.id, host: config.host, port: config.port },
  });
}
