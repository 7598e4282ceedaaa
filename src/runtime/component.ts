/**
 * What a loglane component (broker, store, indexer, ...) looks like to the process that
 * runs it: `loglane up` runs all of them, `loglane broker` runs one.
 */
import type { Config } from '../config/load.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { DataDir } from './data-dir.ts';

export interface Endpoint {
  /** Short protocol name shown to users: `kafka`, `http`, `admin`, ... */
  name: string;
  host: string;
  port: number;
}

export interface ComponentContext {
  config: Config;
  dataDir: DataDir;
  logger: Logger;
  /** Endpoints of the components started before this one (with the ports they really got). */
  endpoints: readonly Endpoint[];
}

export interface RunningComponent {
  readonly name: string;
  readonly endpoints: readonly Endpoint[];
  /** True while the component accepts work (drives /ready). */
  ready(): boolean;
  /** Stops accepting work, drains what is in flight, flushes, releases resources. */
  stop(): Promise<void>;
}

export interface Component {
  readonly name: string;
  /** Other names of its `loglane <name>` command (e.g. `index` for the indexer). */
  readonly aliases?: readonly string[];
  /** Whether `loglane up` runs it with this configuration. */
  enabled(config: Config): boolean;
  start(context: ComponentContext): Promise<RunningComponent>;
}
