/**
 * Small promise wrappers over positional file I/O on raw descriptors, plus the atomic
 * "write temp, fsync, rename, fsync directory" used for checkpoints. Raw descriptors
 * (not FileHandle) because the append path writes with `fs.writeSync` on the same fd.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LoglaneError } from '../../errors/loglane-error.ts';

export function readAt(fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.read(fd, buffer, offset, length, position, (err, bytesRead) => (err ? reject(err) : resolve(bytesRead)));
  });
}

/** Reads exactly `length` bytes at `position` (fewer only at end of file). */
export async function readFully(fd: number, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  const done = await readFullyInto(fd, buffer, position, length);
  return done === length ? buffer : buffer.subarray(0, done);
}

/** Reads `length` bytes at `position` into the start of `buffer`; returns how many (fewer only at end of file). */
export async function readFullyInto(fd: number, buffer: Buffer, position: number, length: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const n = await readAt(fd, buffer, done, length - done, position + done);
    if (n === 0) return done;
    done += n;
  }
  return done;
}

/** readFullyInto without the thread pool: for bytes that are in the page cache (see Segment.read). */
export function readFullyIntoSync(fd: number, buffer: Buffer, position: number, length: number): number {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) return done;
    done += n;
  }
  return done;
}

export function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes all of `buffer` at `position`, looping over short writes. */
export function writeFullySync(fd: number, buffer: Buffer, position: number): void {
  let done = 0;
  while (done < buffer.length) {
    done += fs.writeSync(fd, buffer, done, buffer.length - done, position + done);
  }
}

/**
 * Replaces `file` atomically and durably: a reader after a crash sees the old or the new
 * content, never a mix, and the new content is on disk when the promise resolves.
 */
export async function writeFileDurable(file: string, data: Buffer | string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await fs.promises.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, file);
  await fsyncDirectory(path.dirname(file));
}

export function storageError(message: string, cause: unknown, context: Record<string, unknown>): LoglaneError {
  return new LoglaneError('LOGLANE_ERR_BROKER_STORAGE', message, { retriable: false, cause, context });
}
