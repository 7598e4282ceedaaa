/**
 * Optional authentication: HTTP basic auth against `store.users`, and Elasticsearch API
 * keys (`Authorization: ApiKey base64(id:api_key)`) against `store.api_keys`. With
 * neither configured, the store is open (it binds 127.0.0.1 by default).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { StoreConfig } from '../config.ts';
import { EsError } from '../errors.ts';

const CHALLENGE = 'Basic realm="security", charset="UTF-8", ApiKey';

export function authenticate(request: FastifyRequest, config: StoreConfig): void {
  if (config.users.length === 0 && config.api_keys.length === 0) return;
  const path = request.url.split('?')[0];
  const header = request.headers.authorization;
  if (!header) throw unauthorized(`missing authentication credentials for REST request [${path}]`);
  const [scheme, value = ''] = header.split(/\s+/, 2) as [string, string?];
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? '' : decoded.slice(colon + 1);
  if (/^basic$/i.test(scheme)) {
    if (config.users.some((u) => safeEqual(u.username, user) && safeEqual(u.password, secret))) return;
    throw unauthorized(`unable to authenticate user [${user}] for REST request [${path}]`);
  }
  if (/^apikey$/i.test(scheme)) {
    if (config.api_keys.some((k) => safeEqual(k.id, user) && safeEqual(k.api_key, secret))) return;
    throw unauthorized(`unable to authenticate with provided credentials and anonymous access is not allowed for this request`);
  }
  throw unauthorized(`unsupported authentication scheme [${scheme}] for REST request [${path}]`);
}

function unauthorized(reason: string): EsError {
  return new EsError(401, 'security_exception', reason, { header: { 'WWW-Authenticate': [CHALLENGE] } }, undefined, { 'WWW-Authenticate': CHALLENGE });
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
