/**
 * The `http` input: `POST <path>` with NDJSON (one JSON object per line), a JSON array
 * of objects, or one JSON object. Each object becomes an event. The answer is 200
 * `{"accepted":n}` only once Kafka acknowledged every event of the request; 429 (with
 * Retry-After) when the output queue is full; 503 while Kafka does not answer; 400 with
 * the line number when the body is not JSON; 401 without the configured bearer token.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { LoglaneError } from '../../errors/loglane-error.ts';
import type { Endpoint } from '../../runtime/component.ts';
import type { Logger } from '../../telemetry/logger.ts';
import type { HttpInputConfig } from '../config.ts';
import { type Decoration, decorate, type Fields, type ShipperEvent } from '../event.ts';
import { shipperMetrics } from '../metrics.ts';
import type { Sink } from '../sink.ts';

export interface HttpInputOptions {
  config: HttpInputConfig;
  decoration: Decoration;
  sink: Sink;
  logger: Logger;
}

export interface RunningHttpInput {
  readonly id: string;
  readonly endpoint: Endpoint;
  stop(): Promise<void>;
}

type Parsed = { ok: true; objects: Fields[] } | { ok: false; error: string };

/** Reads a request body: a JSON array, one JSON object, or NDJSON. */
export function parseBody(text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, objects: [] };
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      return { ok: false, error: `the body is not a valid JSON array: ${(error as Error).message}` };
    }
    const list = value as unknown[];
    const bad = list.findIndex((v) => v === null || typeof v !== 'object' || Array.isArray(v));
    if (bad !== -1) return { ok: false, error: `element ${bad} of the array is not a JSON object` };
    return { ok: true, objects: list as Fields[] };
  }
  const objects: Fields[] = [];
  const lines = trimmed.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      // One pretty-printed object over several lines.
      if (i === 0 && lines.length > 1) {
        try {
          const whole = JSON.parse(trimmed) as unknown;
          if (whole !== null && typeof whole === 'object' && !Array.isArray(whole)) return { ok: true, objects: [whole as Fields] };
        } catch {}
      }
      return { ok: false, error: `line ${i + 1} is not valid JSON: ${(error as Error).message}` };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: `line ${i + 1} is not a JSON object` };
    objects.push(value as Fields);
  }
  return { ok: true, objects };
}

export async function startHttpInput(options: HttpInputOptions): Promise<RunningHttpInput> {
  const { config, sink } = options;
  const input = config.id;
  const app: FastifyInstance = Fastify({ bodyLimit: config.max_body_bytes, logger: false, forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const token = config.bearer_token === undefined ? undefined : Buffer.from(`Bearer ${config.bearer_token}`);
  app.post(config.path, async (request, reply) => {
    if (token !== undefined) {
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length !== token.length || !timingSafeEqual(given, token)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'missing or wrong bearer token' });
      }
    }
    const text = typeof request.body === 'string' ? request.body : '';
    shipperMetrics.bytesRead.inc({ input }, Buffer.byteLength(text));
    const parsed = parseBody(text);
    if (!parsed.ok) {
      shipperMetrics.invalidInput.inc({ input, reason: 'invalid_json' });
      options.logger.warn({ code: 'LOGLANE_ERR_SHIPPER_INPUT', input, peer: request.ip, reason: parsed.error }, 'HTTP input: request body refused');
      return reply.code(400).send({ error: parsed.error });
    }
    if (parsed.objects.length === 0) return reply.code(200).send({ accepted: 0 });
    let pending = parsed.objects.length;
    const { promise: acked, resolve } = Promise.withResolvers<void>();
    const events: ShipperEvent[] = parsed.objects.map((object) => {
      const fields = object;
      if (fields['@timestamp'] === undefined) fields['@timestamp'] = new Date().toISOString();
      decorate(fields, options.decoration);
      return {
        fields,
        input,
        ack: () => {
          if (--pending === 0) resolve();
        },
      };
    });
    const state = sink.offer(events);
    if (state === 'full') return reply.code(429).header('retry-after', '1').send({ error: 'the shipper queue is full (Kafka is slow); retry later' });
    if (state === 'unavailable') return reply.code(503).header('retry-after', '5').send({ error: 'Kafka does not acknowledge at the moment; retry later' });
    shipperMetrics.eventsRead.inc({ input }, events.length);
    await acked;
    return reply.code(200).send({ accepted: events.length });
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (cause) {
    throw new LoglaneError('LOGLANE_ERR_SERVER_LISTEN', `http input ${input} cannot listen on ${config.host}:${config.port}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}; choose another port (0 picks a free one)`, {
      retriable: false,
      cause,
      context: { input, host: config.host, port: config.port },
    });
  }
  const address = app.server.address() as { port: number };
  return { id: input, endpoint: { name: 'http-input', host: config.host, port: address.port }, stop: () => app.close() };
}
