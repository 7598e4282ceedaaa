/**
 * File identity. A file at least `bytes` long is identified by the sha-256 of its first
 * `bytes` bytes, so renames and inode reuse do not confuse it; a shorter file by its
 * device and inode (Filebeat instead waits until such a file grows; we read it at once
 * and re-key its state when it grows past the fingerprint length).
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

export async function fingerprintOf(handle: FileHandle, bytes: number): Promise<string | undefined> {
  const buffer = Buffer.allocUnsafe(bytes);
  let filled = 0;
  while (filled < bytes) {
    const { bytesRead } = await handle.read(buffer, filled, bytes - filled, filled);
    if (bytesRead === 0) return undefined;
    filled += bytesRead;
  }
  return `fp:${createHash('sha256').update(buffer).digest('hex')}`;
}

export function inodeKey(dev: number, ino: number): string {
  return `ino:${dev}:${ino}`;
}
