/**
 * The store's HTTP server (Fastify): Elasticsearch's REST conventions for every route —
 * `X-Elastic-Product: Elasticsearch` on every response, vendor media types, gzip/deflate
 * bodies, `pretty`, `filter_path`, unknown parameters refused, errors in Elasticsearch's
 * envelope, 400 for unknown endpoints and 405 for a wrong method — plus optional basic and
 * API-key authentication.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type HTTPMethods } from 'fastify';
import type { Readable } from 'node:stream';
import type { Logger } from '../../telemetry/logger.ts';
import { registerBulkRoutes } from '../api/bulk.ts';
import { registerCatalogRoutes } from '../api/catalog.ts';
import { registerClusterRoutes } from '../api/cluster.ts';
import { registerDocumentRoutes } from '../api/documents.ts';
import { registerIndexRoutes } from '../api/indices.ts';
import { registerSearchRoutes } from '../api/search.ts';
import type { EngineClient } from '../engine/api.ts';
import { EsError, toEsError } from '../errors.ts';
import { storeMetrics } from '../metrics.ts';
import type { StoreState } from '../state.ts';
import { authenticate } from './auth.ts';
import { decodeBody, responseContentType, tooLarge } from './content.ts';
import { serialize } from './respond.ts';
import { type Ctx, checkParams, makeCtx, mount, type Result, type Route, Router } from './router.ts';

export interface HttpServerOptions {
  engine: EngineClient;
  state: StoreState;
  logger: Logger;
}

const ALL_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'];

export function buildServer(options: HttpServerOptions): FastifyInstance {
  const { engine, state } = options;
  const maxBody = state.config.max_body_bytes;
  const app = Fastify({
    bodyLimit: maxBody,
    logger: false,
    keepAliveTimeout: 65_000,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 4096 },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBody }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Elastic-Product', 'Elasticsearch');
    authenticate(request, state.config);
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding'];
    if (!encoding || encoding === 'identity') return payload;
    const decoded = decodeBody(payload as Readable, encoding, maxBody) as Readable & { receivedEncodedLength?: number };
    // Fastify compares Content-Length with what it reads; the decoded stream is longer.
    delete request.headers['content-length'];
    return decoded;
  });

  app.addHook('onResponse', async (request, reply) => {
    storeMetrics.requests.inc({ method: request.method, status: String(reply.statusCode) });
  });

  app.setErrorHandler((error, request, reply) => {
    const esError = fastifyToEs(error, maxBody);
    if (esError.status >= 500) options.logger.error({ err: error, url: request.url }, 'store request failed');
    sendError(request, reply, esError);
  });

  const router = new Router();
  registerClusterRoutes(router);
  registerIndexRoutes(router);
  registerDocumentRoutes(router);
  registerBulkRoutes(router);
  registerCatalogRoutes(router);
  registerSearchRoutes(router);

  mount(app, router, async (route: Route, request: FastifyRequest, reply: FastifyReply) => {
    const ctx = makeCtx(request, reply, engine, state);
    // `GET /_bulk` must not be read as "get the index _bulk": when another method has an
    // endpoint at this `_name` path, this is a wrong method (405), as in Elasticsearch.
    if ((isReservedName(ctx.params.index ?? '') || isReservedName(ctx.params.alias ?? '')) && allowedMethods(app, request.url.split('?')[0]!).length > 0) {
      noRoute(app, request, reply);
      return;
    }
    checkParams(request.url, ctx.query, route.params);
    const result = await route.handler(ctx);
    send(ctx, result);
  });

  app.setNotFoundHandler((request, reply) => noRoute(app, request, reply));
  return app;
}

function isReservedName(value: string): boolean {
  return value.startsWith('_') && value !== '_all' && !value.startsWith('_all,');
}

/** Methods with a route for this path (not counting `_name`s that only a parameter matched). */
function allowedMethods(app: FastifyInstance, path: string): HTTPMethods[] {
  return ALL_METHODS.filter((method) => {
    const found = app.findRoute({ method, url: path });
    const params = found?.params as Record<string, string> | undefined;
    return found !== null && !isReservedName(params?.index ?? '') && !isReservedName(params?.alias ?? '');
  });
}

/** Elasticsearch's answers for a path it has no handler for (400) or a wrong method (405). */
function noRoute(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0]!;
  const allowed = allowedMethods(app, path);
  const status = allowed.length > 0 ? 405 : 400;
  const message =
    status === 405
      ? `Incorrect HTTP method for uri [${request.url}] and method [${request.method}], allowed: [${allowed.join(', ')}]`
      : `no handler found for uri [${request.url}] and method [${request.method}]`;
  if (status === 405) reply.header('Allow', allowed.join(','));
  reply
    .code(status)
    .header('content-type', responseContentType(request.headers))
    .send(Buffer.from(JSON.stringify({ error: message, status })));
}

function send(ctx: Ctx, result: Result): void {
  const { reply, request } = ctx;
  if (result.headers) for (const [k, v] of Object.entries(result.headers)) reply.header(k, v);
  reply.code(result.status ?? 200);
  if ('empty' in result) {
    reply.send();
    return;
  }
  if ('text' in result) {
    reply.header('content-type', result.contentType ?? 'text/plain; charset=UTF-8').send(result.text);
    return;
  }
  const pretty = ctx.query.pretty !== undefined && ctx.query.pretty !== 'false';
  reply.header('content-type', responseContentType(request.headers)).send(Buffer.from(serialize(result.body, { pretty, filterPath: ctx.query.filter_path, raw: result.raw === true })));
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: EsError): void {
  for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
  const query = (request.query as Record<string, string>) ?? {};
  const pretty = query.pretty !== undefined && query.pretty !== 'false';
  reply
    .code(error.status)
    .header('content-type', responseContentType(request.headers))
    .send(Buffer.from(serialize(error.toBody(), { pretty })));
}

function fastifyToEs(error: unknown, maxBody: number): EsError {
  if (error instanceof EsError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return tooLarge(maxBody);
  if (code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return new EsError(400, 'illegal_argument_exception', 'request body length does not match Content-Length');
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new EsError(400, 'parse_exception', 'request body is required');
  const statusCode = (error as { statusCode?: number }).statusCode;
  if (statusCode && statusCode >= 400 && statusCode < 500) return new EsError(statusCode, 'illegal_argument_exception', (error as Error).message);
  return toEsError(error);
}
