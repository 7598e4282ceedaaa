/** Starts an embedded store on a free port in a temporary folder, and a small HTTP client for it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type StoreConfig, storeConfigSchema } from '../../src/store/config.ts';
import { Store } from '../../src/store/store.ts';
import { createLogger, silentLogger } from '../../src/telemetry/logger.ts';

type TestContext = { after: (fn: () => Promise<void>) => void };

export interface Response {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields freely
  body: any;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  gzip?: boolean;
  /** A raw body (NDJSON, malformed JSON); objects are JSON-encoded. */
  raw?: string | Buffer;
}

export interface TestStore {
  store: Store;
  url: string;
  dir: string;
  request(method: string, url: string, body?: unknown, options?: RequestOptions): Promise<Response>;
  /** POSTs NDJSON lines (objects are JSON-encoded) to `_bulk` (or `url`). */
  bulk(lines: unknown[], url?: string): Promise<Response>;
  /** Stops this store and starts a new one on the same folder. */
  restart(): Promise<TestStore>;
}

export async function startTestStore(t: TestContext, overrides: Partial<StoreConfig> = {}, options: { dir?: string } = {}): Promise<TestStore> {
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'loglane-store-')));
  let current: Store | undefined;
  t.after(async () => {
    await current?.stop();
    if (!options.dir) await rm(dir, { recursive: true, force: true });
  });
  const launch = async (): Promise<TestStore> => {
    const config = storeConfigSchema.parse({ port: 0, ...overrides });
    const level = process.env.LOGLANE_TEST_LOG as 'debug' | 'info' | undefined;
    const logger = level ? createLogger({ level, format: 'json' }) : silentLogger();
    const store = await Store.start({ config, dir, logger });
    current = store;
    const url = store.url;
    const request = async (method: string, target: string, body?: unknown, requestOptions: RequestOptions = {}): Promise<Response> => {
      const headers: Record<string, string> = { ...(requestOptions.headers ?? {}) };
      let payload: string | Buffer | undefined = requestOptions.raw;
      if (payload === undefined && body !== undefined) {
        payload = JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
      if (payload !== undefined && requestOptions.gzip) {
        payload = gzipSync(payload);
        headers['content-encoding'] = 'gzip';
      }
      const res = await fetch(`${url}${target}`, { method, headers, body: payload as never });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // text responses (_cat)
      }
      return { status: res.status, headers: res.headers, text, body: parsed };
    };
    return {
      store,
      url,
      dir,
      request,
      bulk: (lines, target = '/_bulk') =>
        request('POST', target, undefined, {
          raw: `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`,
          headers: { 'content-type': 'application/x-ndjson' },
        }),
      async restart() {
        await store.stop();
        return launch();
      },
    };
  };
  return launch();
}

let counter = 0;
/** An index name no other test uses. */
export function uniqueIndex(prefix = 'idx'): string {
  return `${prefix}-${process.pid}-${(counter++).toString(36)}`;
}
