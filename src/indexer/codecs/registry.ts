/**
 * Codecs by name, and the config schema of the `codec:` key: a name (`json`) or
 * `{ type: json }`.
 */
import { z } from 'zod';
import { createAutoCodec } from './auto.ts';
import type { Codec } from './codec.ts';
import { createJsonCodec } from './json.ts';
import { createNdjsonCodec } from './ndjson.ts';
import { createPlainCodec } from './plain.ts';

const factories = {
  auto: createAutoCodec,
  json: createJsonCodec,
  ndjson: createNdjsonCodec,
  plain: createPlainCodec,
} as const satisfies Record<string, () => Codec>;

export type CodecName = keyof typeof factories;
export const CODEC_NAMES = Object.keys(factories) as CodecName[];

const codecName = z.enum(CODEC_NAMES as [CodecName, ...CodecName[]]);
export const codecConfigSchema = z.union([codecName, z.strictObject({ type: codecName })]).default('auto');
export type CodecConfig = z.input<typeof codecConfigSchema>;

export function createCodec(config: CodecConfig | undefined = 'auto'): Codec {
  const name = typeof config === 'string' ? config : config.type;
  const factory = factories[name];
  if (factory === undefined) throw new TypeError(`unknown codec ${JSON.stringify(name)}; known: ${CODEC_NAMES.join(', ')}`);
  return factory();
}
