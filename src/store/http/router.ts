/**
 * Routes of the store: method(s), path, the query parameters the endpoint accepts (as in
 * Elasticsearch's REST spec; anything else is a 400 naming the parameter) and a handler
 * that returns a status and a body. Common parameters (`pretty`, `filter_path`, ...) are
 * accepted everywhere.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { EngineClient } from '../engine/api.ts';
import type { ResolveOptions } from '../engine/resolve.ts';
import { EsError, illegalArgument } from '../errors.ts';
import type { StoreState } from '../state.ts';
import { parseJson, parseJsonObject } from './content.ts';

export const COMMON_PARAMS = ['pretty', 'human', 'error_trace', 'filter_path', 'source', 'source_content_type', 'master_timeout', 'timeout'];
export const RESOLVE_PARAMS = ['ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'ignore_throttled'];

export interface Ctx {
  request: FastifyRequest;
  reply: FastifyReply;
  params: Record<string, string>;
  query: Record<string, string>;
  body: Buffer | undefined;
  engine: EngineClient;
  state: StoreState;
  json(required?: boolean): unknown;
  jsonObject(required?: boolean): Record<string, unknown> | undefined;
  flag(name: string, fallback?: boolean): boolean;
  number(name: string): number | undefined;
  resolveOptions(defaults?: ResolveOptions): ResolveOptions;
}

export type Result =
  | { status?: number; body: unknown; headers?: Record<string, string>; /** body holds RawJson parts */ raw?: boolean }
  | { status?: number; text: string; contentType?: string; headers?: Record<string, string> }
  | { status: number; empty: true; headers?: Record<string, string> };

export type Handler = (ctx: Ctx) => Promise<Result> | Result;

export interface Route {
  methods: HTTPMethods[];
  paths: string[];
  params: readonly string[];
  handler: Handler;
}

export class Router {
  readonly routes: Route[] = [];

  add(methods: HTTPMethods | HTTPMethods[], paths: string | string[], params: readonly string[], handler: Handler): void {
    this.routes.push({ methods: Array.isArray(methods) ? methods : [methods], paths: Array.isArray(paths) ? paths : [paths], params, handler });
  }
}

export function checkParams(url: string, query: Record<string, string>, allowed: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (COMMON_PARAMS.includes(name) || allowed.includes(name)) continue;
    const suggestion = [...COMMON_PARAMS, ...allowed].find((a) => similar(a, name));
    throw illegalArgument(`request [${url.split('?')[0]}] contains unrecognized parameter: [${name}]${suggestion ? ` -> did you mean [${suggestion}]?` : ''}`);
  }
}

function similar(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  const d = levenshtein(a, b);
  return d > 0 && d <= Math.max(1, Math.floor(Math.min(a.length, b.length) / 4));
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return dp[a.length]![b.length]!;
}

export function makeCtx(request: FastifyRequest, reply: FastifyReply, engine: EngineClient, state: StoreState): Ctx {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries((request.query as Record<string, string | string[]>) ?? {})) {
    query[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  let body = Buffer.isBuffer(request.body) ? request.body : undefined;
  if ((!body || body.length === 0) && query.source !== undefined) body = Buffer.from(query.source);
  const flag = (name: string, fallback = false): boolean => {
    const value = query[name];
    if (value === undefined) return fallback;
    if (value === '' || value === 'true') return true;
    if (value === 'false') return false;
    throw illegalArgument(`Failed to parse value [${value}] as only [true] or [false] are allowed.`);
  };
  return {
    request,
    reply,
    params: (request.params as Record<string, string>) ?? {},
    query,
    body,
    engine,
    state,
    json: (required = false) => parseJson(body, required),
    jsonObject: (required = false) => parseJsonObject(body, required),
    flag,
    number(name) {
      const value = query[name];
      if (value === undefined) return undefined;
      const n = Number(value);
      if (!Number.isFinite(n)) throw illegalArgument(`Failed to parse int parameter [${name}] with value [${value}]`);
      return n;
    },
    resolveOptions(defaults = {}) {
      const options: ResolveOptions = { ...defaults };
      if (query.ignore_unavailable !== undefined) options.ignoreUnavailable = flag('ignore_unavailable');
      if (query.allow_no_indices !== undefined) options.allowNoIndices = flag('allow_no_indices');
      if (query.expand_wildcards !== undefined) {
        const value = query.expand_wildcards;
        for (const part of value.split(',')) {
          if (!['open', 'closed', 'hidden', 'none', 'all'].includes(part)) throw illegalArgument(`No enum constant org.elasticsearch.action.support.IndicesOptions.WildcardStates.${part.toUpperCase()}`);
        }
        options.expandWildcards = value;
      }
      return options;
    },
  };
}

export function requireParam(ctx: Ctx, name: string): string {
  const value = ctx.params[name];
  if (value === undefined || value === '') throw new EsError(400, 'action_request_validation_exception', `Validation Failed: 1: ${name} is missing;`);
  return value;
}

/** Registers the router's routes on Fastify. */
export function mount(app: FastifyInstance, router: Router, run: (route: Route, request: FastifyRequest, reply: FastifyReply) => Promise<void>): void {
  for (const route of router.routes) {
    for (const url of route.paths) {
      app.route({ method: route.methods, url, handler: (request, reply) => run(route, request, reply) });
    }
  }
}
