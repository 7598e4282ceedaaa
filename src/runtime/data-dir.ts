/**
 * The data directory: one subfolder per component, guarded by a lock file so that two
 * loglane processes never write the same data.
 *
 * The lock is a file created with O_EXCL holding the owner's pid, host and command. A
 * lock left behind by a process that no longer runs (after kill -9 or a power loss) is
 * detected by its pid and taken over, so a crash never needs a manual clean-up.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { LoglaneError } from '../errors/loglane-error.ts';

export const LOCK_FILE = 'loglane.lock';

interface LockOwner {
  pid: number;
  host: string;
  command: string;
  started_at: string;
}

export class DataDir {
  readonly root: string;
  readonly lockFile: string;
  #released = false;

  private constructor(root: string) {
    this.root = root;
    this.lockFile = path.join(root, LOCK_FILE);
  }

  /** Creates (if needed), checks and locks the data directory. */
  static async open(dir: string, command = process.argv.slice(1).join(' ')): Promise<DataDir> {
    const root = path.resolve(dir);
    try {
      await mkdir(root, { recursive: true });
      await access(root, constants.W_OK | constants.R_OK | constants.X_OK);
    } catch (cause) {
      throw unwritable(root, cause);
    }
    const dataDir = new DataDir(root);
    dataDir.#acquire(command);
    return dataDir;
  }

  /** The folder of one component (`broker`, `store`, ...), created on first use. */
  componentDir(component: string): string {
    const dir = path.join(this.root, component);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (cause) {
      throw unwritable(dir, cause);
    }
    return dir;
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    try {
      const owner = readOwner(this.lockFile);
      if (owner?.pid === process.pid) rmSync(this.lockFile, { force: true });
    } catch {
      // the lock is gone already: nothing to release
    }
  }

  #acquire(command: string): void {
    const owner: LockOwner = { pid: process.pid, host: hostname(), command, started_at: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = openSync(this.lockFile, 'wx', 0o644);
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') throw unwritable(this.root, cause);
        const holder = readOwner(this.lockFile);
        if (holder && isAlive(holder)) {
          throw new LoglaneError(
            'LOGLANE_ERR_DATADIR_LOCKED',
            `data directory ${this.root} is locked by another loglane process (pid ${holder.pid} on ${holder.host}, "${holder.command}", since ${holder.started_at}); lock file ${this.lockFile}. Stop that process, or give this one another data_dir.`,
            { retriable: false, context: { lockFile: this.lockFile, owner: holder } },
          );
        }
        // A stale lock (its process is gone) or an unreadable one from a crash mid-write.
        rmSync(this.lockFile, { force: true });
        continue;
      }
      try {
        writeSync(fd, `${JSON.stringify(owner)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return;
    }
    throw new LoglaneError('LOGLANE_ERR_DATADIR_LOCKED', `could not take the lock ${this.lockFile}: another process keeps re-creating it`, {
      retriable: true,
      context: { lockFile: this.lockFile },
    });
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, host: String(parsed.host), command: String(parsed.command), started_at: String(parsed.started_at) };
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  // A lock from another host (a shared volume) cannot be checked: treat it as held.
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function unwritable(dir: string, cause: unknown): LoglaneError {
  const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
  return new LoglaneError(
    'LOGLANE_ERR_DATADIR_UNWRITABLE',
    `data directory ${dir} is not writable (${reason}); set data_dir to a folder this user can write, or fix its permissions`,
    { retriable: false, cause, context: { dir } },
  );
}
