/**
 * A minimal Kafka client on our own codec, for tests that need exact control over
 * request versions and bytes (long polls, malformed frames, error codes).
 */
import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../../src/broker/protocol/frame-decoder.ts';
import { decodeResponseFrame, encodeRequestFrame } from '../../src/broker/protocol/header.ts';

export class RawKafkaClient {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  readonly #decoder = new FrameDecoder();
  readonly #pending: { apiKey: number; version: number; resolve: (body: unknown) => void; reject: (e: Error) => void }[] = [];
  #correlationId = 1;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.#decoder.push(chunk)) {
        const next = this.#pending.shift();
        if (!next) throw new Error('unexpected response frame');
        try {
          next.resolve(decodeResponseFrame(next.apiKey, next.version, frame).body);
        } catch (error) {
          next.reject(error as Error);
        }
      }
    });
    socket.on('close', () => {
      for (const p of this.#pending.splice(0)) p.reject(new Error('connection closed'));
    });
    socket.on('error', () => {});
  }

  static connect(bootstrap: string): Promise<RawKafkaClient> {
    const [host, port] = bootstrap.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), host!, () => resolve(new RawKafkaClient(socket)));
      socket.once('error', reject);
    });
  }

  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields freely
  request(apiKey: number, version: number, body: unknown): Promise<any> {
    const correlationId = this.#correlationId++;
    return new Promise((resolve, reject) => {
      this.#pending.push({ apiKey, version, resolve, reject });
      for (const chunk of encodeRequestFrame({ apiKey, apiVersion: version, correlationId, clientId: 'raw-test' }, body)) this.socket.write(chunk);
    });
  }

  /** Sends a request whose response never comes (Produce acks=0). */
  send(apiKey: number, version: number, body: unknown): void {
    const correlationId = this.#correlationId++;
    for (const chunk of encodeRequestFrame({ apiKey, apiVersion: version, correlationId, clientId: 'raw-test' }, body)) this.socket.write(chunk);
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}
