/**
 * The `file` input: every `scan_interval_ms`, globs the configured paths, identifies each
 * file (fingerprint, or device+inode while shorter than the fingerprint), and starts a
 * harvester for each identity that is not being read — at the registry's acknowledged
 * offset, or at what this process already read of it, or at the beginning/end for a
 * file never seen. A renamed file keeps its identity (its state follows the new path);
 * a copy made by copytruncate carries the original's identity, so what the harvester of
 * the truncated file had not read yet is read from the copy.
 */
import { glob, open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../../telemetry/logger.ts';
import type { FileInputConfig } from '../../config.ts';
import type { Decoration, ShipperEvent } from '../../event.ts';
import { shipperMetrics } from '../../metrics.ts';
import { fingerprintOf, inodeKey } from './fingerprint.ts';
import { type HarvestEnd, harvest } from './harvester.ts';
import type { FileState, Registry } from './registry.ts';

export interface FileInputOptions {
  config: FileInputConfig;
  registry: Registry;
  decoration: Decoration;
  publish: (events: ShipperEvent[]) => Promise<void>;
  logger: Logger;
  cwd?: string;
}

interface Active {
  state: FileState;
  dev: number;
  ino: number;
  done: Promise<HarvestEnd>;
}

export interface RunningInput {
  readonly id: string;
  stop(): Promise<void>;
}

export interface FileInput extends RunningInput {
  /** Runs one scan now (tests). */
  scan(): Promise<void>;
}

export function startFileInput(options: FileInputOptions): FileInput {
  const { config, registry, logger } = options;
  const cwd = options.cwd ?? process.cwd();
  const input = config.id;
  const patterns = config.paths.map((p) => (path.isAbsolute(p) ? p : path.resolve(cwd, p)));
  const excludes = config.exclude.map((p) => (p.includes('/') ? (path.isAbsolute(p) ? p : path.resolve(cwd, p)) : p));
  const excluded = (file: string) => excludes.some((p) => (p.includes('/') ? path.matchesGlob(file, p) : path.matchesGlob(path.basename(file), p)));
  const active = new Map<string, Active>();
  const problems = new Map<string, string>();
  const abort = new AbortController();
  let scanning: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const prefix = `${input}/`;

  const report = (file: string, reason: string, error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    if (problems.get(file) === code) return;
    problems.set(file, code);
    shipperMetrics.invalidInput.inc({ input, reason });
    logger.warn({ code: 'LOGLANE_ERR_SHIPPER_INPUT', input, path: file, err: error }, `cannot read the file (${code}); it is tried again at every scan`);
  };

  const scanOnce = async (): Promise<void> => {
    const seen = new Set<string>();
    const files = new Set<string>();
    for (const pattern of patterns) {
      try {
        for await (const file of glob(pattern, { exclude: (p: string) => excluded(path.resolve(cwd, p)) })) files.add(path.resolve(cwd, file));
      } catch (error) {
        report(pattern, 'glob_error', error);
      }
    }
    for (const file of files) {
      if (abort.signal.aborted) return;
      if (excluded(file)) continue;
      await consider(file, seen);
    }
    if (config.clean_removed) {
      for (const state of registry.states()) {
        if (!state.key.startsWith(prefix) || seen.has(state.key) || active.has(state.key) || state.pending > 0) continue;
        const there = await stat(state.path).then((s) => s.dev === state.dev && s.ino === state.ino, () => false);
        if (!there) registry.delete(state);
      }
    }
  };

  const consider = async (file: string, seen: Set<string>): Promise<void> => {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      report(file, 'open_error', error);
      return;
    }
    let handedOver = false;
    try {
      const st = await handle.stat();
      if (!st.isFile()) return;
      problems.delete(file);
      const fp = st.size >= config.fingerprint_bytes ? await fingerprintOf(handle, config.fingerprint_bytes) : undefined;
      const key = prefix + (fp ?? inodeKey(st.dev, st.ino));
      seen.add(key);
      const running = active.get(key);
      if (running !== undefined) {
        // The same file under another name: a rename.
        if (running.dev === st.dev && running.ino === st.ino && running.state.path !== file) {
          running.state.path = file;
          registry.touch();
        }
        return;
      }
      if (fp !== undefined) {
        // A file read while short (device+inode identity) that has grown past the fingerprint length.
        const inodeState = active.get(prefix + inodeKey(st.dev, st.ino));
        if (inodeState !== undefined) {
          const moved = active.get(inodeState.state.key)!;
          active.delete(inodeState.state.key);
          registry.rekey(inodeState.state, key);
          active.set(key, moved);
          return;
        }
        // Another identity is still being read from this inode (it was truncated/rewritten): its harvester notices.
        for (const a of active.values()) if (a.dev === st.dev && a.ino === st.ino) return;
      }
      let state = registry.get(key);
      if (state === undefined && config.ignore_older_ms > 0 && Date.now() - st.mtimeMs > config.ignore_older_ms) return;
      let start: number;
      if (state === undefined) {
        start = config.start_at === 'end' ? st.size : 0;
        state = registry.create(key, { input, path: file, offset: start, dev: st.dev, ino: st.ino });
      } else {
        start = Math.max(state.offset, state.readOffset);
        if (start > st.size) {
          logger.info({ input, path: file, offset: start, size: st.size }, 'file is shorter than its registry offset (truncated while not read): reading it from its start');
          start = 0;
          registry.advance(state, 0);
        }
        if (start === st.size && Date.now() - st.mtimeMs > config.close_inactive_ms) return;
        if (state.path !== file || state.dev !== st.dev || state.ino !== st.ino) {
          state.path = file;
          state.dev = st.dev;
          state.ino = st.ino;
          registry.touch();
        }
      }
      state.readOffset = start;
      const opened = handle;
      handedOver = true;
      const entry: Active = {
        state,
        dev: st.dev,
        ino: st.ino,
        done: harvest({
          config,
          handle: opened,
          state,
          registry,
          start,
          decoration: options.decoration,
          publish: options.publish,
          logger,
          signal: abort.signal,
          present: () => stat(state.path).then((s) => s.dev === entry.dev && s.ino === entry.ino, () => false),
        }),
      };
      active.set(key, entry);
      shipperMetrics.openFiles.set({ input }, active.size);
      logger.debug({ input, path: file, key, offset: start }, 'harvesting file');
      void entry.done.then(async (end) => {
        await opened.close().catch(() => {});
        if (active.get(entry.state.key) === entry) active.delete(entry.state.key);
        // New content in the same inode: the device+inode identity starts over (late acks touch the detached state only).
        if ((end === 'truncated' || end === 'rewritten') && entry.state.key.startsWith(`${prefix}ino:`)) registry.delete(entry.state);
        shipperMetrics.openFiles.set({ input }, active.size);
        logger.debug({ input, path: entry.state.path, end }, 'file closed');
      });
    } finally {
      if (!handedOver) await handle.close().catch(() => {});
    }
  };

  const scan = (): Promise<void> => {
    scanning = scanning.then(scanOnce).catch((error: unknown) => logger.error({ err: error, input }, 'file scan failed'));
    return scanning;
  };

  const loop = () => {
    if (abort.signal.aborted) return;
    void scan().then(() => {
      if (!abort.signal.aborted) timer = setTimeout(loop, config.scan_interval_ms);
    });
  };
  loop();

  return {
    id: input,
    scan,
    async stop() {
      abort.abort();
      clearTimeout(timer);
      await scanning;
      await Promise.all([...active.values()].map((a) => a.done));
    },
  };
}
