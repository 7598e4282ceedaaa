/**
 * A runner for REST API scenario files in the format of Elasticsearch's YAML REST tests
 * (`setup`, `teardown`, and named tests made of `do`, `match`, `length`, `is_true`,
 * `is_false`, `set`, `gt`, `gte`, `lt`, `lte` steps). The files in this folder were
 * written for loglane; they run against the embedded store and, unchanged, against a real
 * Elasticsearch 8.x (see docs/store.md, "Conformance").
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { API_SPECS } from './api-specs.ts';

export type Step = Record<string, unknown>;

export interface ScenarioFile {
  setup: Step[];
  teardown: Step[];
  tests: { name: string; steps: Step[] }[];
}

export function parseScenarioFile(text: string): ScenarioFile {
  const out: ScenarioFile = { setup: [], teardown: [], tests: [] };
  // A file is a stream of YAML documents, each `{name: [steps]}`.
  for (const chunk of text.split(/^---\s*$/m)) {
    if (!chunk.trim()) continue;
    const doc = parse(chunk) as Record<string, Step[]>;
    for (const [name, steps] of Object.entries(doc)) {
      if (name === 'setup') out.setup = steps;
      else if (name === 'teardown') out.teardown = steps;
      else out.tests.push({ name, steps });
    }
  }
  return out;
}

export interface HttpResponse {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

const CATCH_STATUS: Record<string, (status: number) => boolean> = {
  bad_request: (s) => s === 400,
  unauthorized: (s) => s === 401,
  forbidden: (s) => s === 403,
  missing: (s) => s === 404,
  request_timeout: (s) => s === 408,
  conflict: (s) => s === 409,
  request: (s) => s >= 400 && s !== 404 && s !== 409 && s !== 401 && s !== 403,
  unavailable: (s) => s === 503,
};

export class ScenarioRunner {
  readonly baseUrl: string;
  readonly #headers: Record<string, string>;
  #stash = new Map<string, unknown>();
  #last: HttpResponse | undefined;

  constructor(baseUrl: string, headers: Record<string, string> = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.#headers = headers;
  }

  async run(steps: Step[]): Promise<void> {
    for (const step of steps) await this.#step(step);
  }

  reset(): void {
    this.#stash = new Map();
    this.#last = undefined;
  }

  async #step(step: Step): Promise<void> {
    const [kind, arg] = Object.entries(step)[0]!;
    switch (kind) {
      case 'skip':
        return;
      case 'do':
        await this.#do(arg as Record<string, unknown>);
        return;
      case 'set':
        for (const [path, name] of Object.entries(arg as Record<string, string>)) this.#stash.set(name, this.#value(path));
        return;
      case 'match':
        for (const [path, expected] of Object.entries(arg as Record<string, unknown>)) this.#match(path, this.#resolve(expected));
        return;
      case 'length':
        for (const [path, expected] of Object.entries(arg as Record<string, number>)) {
          const value = this.#value(path);
          const length = Array.isArray(value) ? value.length : value && typeof value === 'object' ? Object.keys(value).length : String(value ?? '').length;
          assert.equal(length, this.#resolve(expected), `length of ${path} in ${this.#describe()}`);
        }
        return;
      case 'is_true': {
        const value = this.#value(String(arg));
        assert.ok(value !== undefined && value !== null && value !== false && value !== '' && value !== 0 && value !== 'false', `${arg} should be true in ${this.#describe()}`);
        return;
      }
      case 'is_false': {
        const value = this.#value(String(arg));
        assert.ok(value === undefined || value === null || value === false || value === '' || value === 0 || value === 'false', `${arg} should be false in ${this.#describe()}`);
        return;
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        for (const [path, bound] of Object.entries(arg as Record<string, number>)) {
          const value = Number(this.#value(path));
          const limit = Number(this.#resolve(bound));
          const ok = kind === 'gt' ? value > limit : kind === 'gte' ? value >= limit : kind === 'lt' ? value < limit : value <= limit;
          assert.ok(ok, `${path} = ${value} should be ${kind} ${limit} in ${this.#describe()}`);
        }
        return;
      default:
        throw new Error(`unsupported step [${kind}]`);
    }
  }

  async #do(spec: Record<string, unknown>): Promise<void> {
    const { catch: expectedCatch, headers, warnings, allowed_warnings, ...rest } = spec as Record<string, unknown> & { catch?: string; headers?: Record<string, string> };
    void warnings;
    void allowed_warnings;
    const [api, rawArgs] = Object.entries(rest)[0]!;
    const args = (this.#resolve(rawArgs ?? {}) ?? {}) as Record<string, unknown>;
    const response = await this.#call(api, args, headers ?? {});
    this.#last = response;
    if (expectedCatch === undefined) {
      assert.ok(response.status < 400 || (response.status === 404 && API_SPECS[api]?.method === 'HEAD'), `${api} failed: ${response.status} ${response.text}`);
      return;
    }
    if (expectedCatch.startsWith('/')) {
      assert.ok(response.status >= 400, `${api} should fail matching ${expectedCatch}, got ${response.status}`);
      assert.match(response.text, toRegex(expectedCatch), `${api}: ${response.text}`);
      return;
    }
    const check = CATCH_STATUS[expectedCatch];
    if (!check) throw new Error(`unknown catch [${expectedCatch}]`);
    assert.ok(check(response.status), `${api} should fail with ${expectedCatch}, got ${response.status}: ${response.text}`);
  }

  async #call(api: string, args: Record<string, unknown>, extraHeaders: Record<string, string>): Promise<HttpResponse> {
    const spec = API_SPECS[api];
    if (!spec) throw new Error(`no spec for api [${api}]`);
    const { body, ...params } = args;
    const path = spec.paths
      .map((template) => ({ template, names: [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!) }))
      .filter((p) => p.names.every((n) => params[n] !== undefined))
      .sort((a, b) => b.names.length - a.names.length)[0];
    if (!path) throw new Error(`${api}: missing path parameters for ${spec.paths.join(' | ')}`);
    const url = path.template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(list(params[name])));
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (!path.names.includes(key)) query.set(key, list(value));
    const headers: Record<string, string> = { ...this.#headers, ...extraHeaders };
    let payload: string | Buffer | undefined;
    if (body !== undefined) {
      if (spec.ndjson) {
        const lines = Array.isArray(body) ? body : [body];
        payload = `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;
        headers['content-type'] ??= 'application/x-ndjson';
      } else {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
      if (headers['content-encoding'] === 'gzip') payload = gzipSync(payload);
    }
    const qs = query.toString();
    const res = await fetch(`${this.baseUrl}${url}${qs ? `?${qs}` : ''}`, { method: spec.method, headers, body: payload as never });
    const text = await res.text();
    let parsed: unknown = text;
    if (spec.method === 'HEAD') parsed = res.status < 400;
    else {
      try {
        parsed = text ? JSON.parse(text) : {};
      } catch {
        // _cat text
      }
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }

  #resolve(value: unknown): unknown {
    if (typeof value === 'string') {
      if (/^\$\w+$/.test(value)) return this.#stash.has(value.slice(1)) ? this.#stash.get(value.slice(1)) : value;
      return value.replace(/\$\{(\w+)\}/g, (m, name: string) => (this.#stash.has(name) ? String(this.#stash.get(name)) : m));
    }
    if (Array.isArray(value)) return value.map((v) => this.#resolve(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.#resolve(k) as string, this.#resolve(v)]));
    return value;
  }

  #value(path: string): unknown {
    const body = this.#last?.body;
    if (path === '$body' || path === '') return body;
    let node: unknown = body;
    for (const raw of splitPath(this.#resolve(path) as string)) {
      if (node === null || node === undefined) return undefined;
      const key = raw;
      node = Array.isArray(node) && /^\d+$/.test(key) ? node[Number(key)] : (node as Record<string, unknown>)[key];
    }
    return node;
  }

  #match(path: string, expected: unknown): void {
    const actual = this.#value(path);
    if (typeof expected === 'string' && expected.trim().startsWith('/') && expected.trim().endsWith('/') && expected.trim().length > 1) {
      assert.match(String(actual), toRegex(expected.trim()), `${path} in ${this.#describe()}`);
      return;
    }
    assert.ok(looseEqual(actual, expected), `match ${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)} in ${this.#describe()}`);
  }

  #describe(): string {
    return this.#last ? `${this.#last.status} ${this.#last.text.slice(0, 2000)}` : '(no response)';
  }
}

/** Numbers compare by value (1 == 1.0); objects deep, with expected keys only checked when asked. */
function looseEqual(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return actual === expected;
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => looseEqual(actual[i], e));
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    return Object.keys(e).length === Object.keys(a).length && Object.keys(e).every((k) => looseEqual(a[k], e[k]));
  }
  return actual === expected;
}

function splitPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '.') {
      current += '.';
      i++;
    } else if (path[i] === '.') {
      parts.push(current);
      current = '';
    } else current += path[i];
  }
  parts.push(current);
  return parts;
}

function toRegex(text: string): RegExp {
  const body = text.trim().slice(1, -1);
  // Elasticsearch's runner uses Java's COMMENTS flag: whitespace in the pattern is ignored.
  return new RegExp(body.replace(/\\\s/g, '\u0000').replace(/\s+/g, '').replaceAll('\u0000', ' '), 's');
}

function list(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}
