/**
 * The configuration schema: one declaration gives the TypeScript type, the defaults and
 * the validation of every section. Unknown keys are errors everywhere (strict objects).
 * Key names carry their unit (`_ms`, `_bytes`).
 *
 * Components add their section here as they land; each section's schema lives in the
 * component's own `config.ts`.
 */
import { z } from 'zod';
import { brokerConfigSchema } from '../broker/config.ts';
import { indexerConfigSchema } from '../indexer/config.ts';
import { shipperConfigSchema } from '../shipper/config.ts';
import { storeConfigSchema } from '../store/config.ts';
import { host, port } from './fields.ts';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;


const logSchema = z
  .strictObject({
    level: z.enum(LOG_LEVELS).default('info'),
    /** auto: pretty when the log stream is a terminal, JSON lines otherwise. */
    format: z.enum(['auto', 'json', 'pretty']).default('auto'),
  })
  .prefault({});

const adminSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    host: host().default('127.0.0.1'),
    port: port().default(9600),
  })
  .prefault({});

export const configSchema = z.strictObject({
  /** Where every component keeps its data, one subfolder each. Relative to the working directory. */
  data_dir: z.string().min(1).default('./data'),
  /** How long `loglane up` waits for components to drain and stop on SIGINT/SIGTERM. */
  shutdown_timeout_ms: z.number().int().min(100).max(600_000).default(15_000),
  log: logSchema,
  admin: adminSchema,
  broker: brokerConfigSchema,
  store: storeConfigSchema,
  indexer: indexerConfigSchema,
  shipper: shipperConfigSchema,
});

export type LoglaneConfig = z.infer<typeof configSchema>;
export type LogLevel = (typeof LOG_LEVELS)[number];
