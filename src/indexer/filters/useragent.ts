/**
 * `useragent`: parses a browser User-Agent string (with ua-parser-js 1, MIT) into the
 * ECS `user_agent` layout under `target` (default `user_agent`):
 * `name`, `version`, `major`/`minor`/`patch`, `os.name`, `os.version`, `os.full`,
 * `device.name`, `device.type`, `original`. Unknown agents get the name `Other`, as in
 * Logstash. Results are cached (`lru_cache_size`, default 1000): the same few agents
 * repeat across millions of requests.
 *
 * Names come from ua-parser-js, not from the uap-core regexes Logstash uses, so a few
 * differ (e.g. `Mobile Safari` vs `Mobile Safari UI/WKWebView`).
 */
import UAParser from 'ua-parser-js';
import { z } from 'zod';
import { parseFieldRef } from '../field-ref.ts';
import { defineFilter } from './filter.ts';
import { fieldRef } from './options.ts';

export const useragentFilter = defineFilter(
  'useragent',
  {
    source: fieldRef(),
    target: fieldRef().default('user_agent'),
    lru_cache_size: z.number().int().min(0).default(1000),
    /** Also keep the agent text in `[target][original]` (ECS). */
    keep_original: z.boolean().default(true),
  },
  (options) => {
    const source = parseFieldRef(options.source);
    const target = parseFieldRef(options.target);
    const cache = new Map<string, Record<string, unknown>>();
    const limit = options.lru_cache_size;
    return (event) => {
      const text = event.get(source);
      if (typeof text !== 'string' || text === '') return false;
      let parsed = cache.get(text);
      if (parsed === undefined) {
        parsed = describe(text);
        if (limit > 0) {
          if (cache.size >= limit) cache.delete(cache.keys().next().value!);
          cache.set(text, parsed);
        }
      } else {
        cache.delete(text);
        cache.set(text, parsed);
      }
      const result = structuredClone(parsed);
      if (options.keep_original) result.original = text;
      event.set(target, result);
      return true;
    };
  },
);

function describe(text: string): Record<string, unknown> {
  const ua = new UAParser(text).getResult();
  const out: Record<string, unknown> = { name: ua.browser.name ?? 'Other' };
  const version = ua.browser.version;
  if (version !== undefined) {
    out.version = version;
    const [major, minor, patch] = version.split('.');
    if (major !== undefined) out.major = major;
    if (minor !== undefined) out.minor = minor;
    if (patch !== undefined) out.patch = patch;
  }
  const os: Record<string, unknown> = { name: ua.os.name ?? 'Other' };
  if (ua.os.version !== undefined) {
    os.version = ua.os.version;
    os.full = `${ua.os.name} ${ua.os.version}`;
  }
  out.os = os;
  const device: Record<string, unknown> = { name: ua.device.model ?? ua.device.vendor ?? 'Other' };
  if (ua.device.type !== undefined) device.type = ua.device.type;
  out.device = device;
  return out;
}
