/**
 * The admin HTTP listener every loglane process runs: `/health` (the process is alive),
 * `/ready` (every component is ready for work) and `/metrics` (Prometheus text).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoglaneError } from '../errors/loglane-error.ts';
import type { Logger } from './logger.ts';
import { registry } from './metrics.ts';

export interface Readiness {
  ready: boolean;
  components: Record<string, boolean>;
}

export interface AdminServerOptions {
  host: string;
  port: number;
  logger: Logger;
  readiness: () => Readiness;
}

export interface AdminServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.logger.error({ err: error, url: req.url }, 'admin request failed');
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ error: 'internal error' }));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) =>
      reject(
        new LoglaneError(
          'LOGLANE_ERR_SERVER_LISTEN',
          `admin listener cannot listen on ${options.host}:${options.port}: ${cause.code ?? cause.message}; choose another admin.port (0 picks a free one) or stop the process using it`,
          { retriable: false, cause, context: { host: options.host, port: options.port } },
        ),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    host: options.host,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: AdminServerOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    send(res, 405, 'application/json', JSON.stringify({ error: `method ${req.method} not allowed; use GET` }));
    return;
  }
  switch (url.pathname) {
    case '/health':
      send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
      return;
    case '/ready': {
      const readiness = options.readiness();
      send(res, readiness.ready ? 200 : 503, 'application/json', JSON.stringify({ status: readiness.ready ? 'ready' : 'not ready', components: readiness.components }));
      return;
    }
    case '/metrics':
      send(res, 200, registry.contentType, await registry.metrics());
      return;
    default:
      send(res, 404, 'application/json', JSON.stringify({ error: `no route ${url.pathname}; try /health, /ready or /metrics` }));
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
