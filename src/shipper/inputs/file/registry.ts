/**
 * The file registry: for every file identity, the byte offset up to which Kafka has
 * acknowledged every event. It is written atomically (temporary file, fsync, rename,
 * fsync of the folder) every `flush_ms` when it changed, and on stop, so that after a
 * crash reading resumes at an acknowledged offset: at least once, never a gap.
 *
 * Identities: `fp:<sha-256 of the first fingerprint_bytes bytes>` for files at least that
 * long, `ino:<dev>:<ino>` for shorter ones (re-keyed to the fingerprint once the file
 * grows past it).
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

export interface FileState {
  key: string;
  /** The input the state belongs to. */
  input: string;
  path: string;
  /** Acknowledged offset (what the registry persists). */
  offset: number;
  dev: number;
  ino: number;
  updatedAt: number;
  /** Offset read so far in this process (≥ offset); not persisted. */
  readOffset: number;
  /** Events handed to the output and not yet acknowledged. */
  pending: number;
}

interface PersistedState {
  key: string;
  input: string;
  path: string;
  offset: number;
  dev: number;
  ino: number;
  updated_at: string;
}

export class Registry {
  readonly file: string;
  readonly #states = new Map<string, FileState>();
  #dirty = false;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.file = file;
  }

  static async open(file: string): Promise<{ registry: Registry; problem?: string }> {
    const registry = new Registry(file);
    await mkdir(path.dirname(file), { recursive: true });
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { registry };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as { version: number; files: PersistedState[] };
      for (const s of parsed.files) {
        registry.#states.set(s.key, { key: s.key, input: s.input, path: s.path, offset: s.offset, dev: s.dev, ino: s.ino, updatedAt: Date.parse(s.updated_at), readOffset: s.offset, pending: 0 });
      }
      return { registry };
    } catch (error) {
      return { registry, problem: `the registry ${file} is not valid JSON (${(error as Error).message}); files are read again from their start` };
    }
  }

  get(key: string): FileState | undefined {
    return this.#states.get(key);
  }

  states(): IterableIterator<FileState> {
    return this.#states.values();
  }

  create(key: string, init: Omit<FileState, 'key' | 'readOffset' | 'pending' | 'updatedAt'>): FileState {
    const state: FileState = { key, ...init, readOffset: init.offset, pending: 0, updatedAt: Date.now() };
    this.#states.set(key, state);
    this.#dirty = true;
    return state;
  }

  rekey(state: FileState, key: string): void {
    this.#states.delete(state.key);
    state.key = key;
    this.#states.set(key, state);
    this.#dirty = true;
  }

  delete(state: FileState): void {
    if (this.#states.get(state.key) === state) this.#states.delete(state.key);
    this.#dirty = true;
  }

  /** Records that Kafka acknowledged every event up to `offset`. */
  advance(state: FileState, offset: number): void {
    if (offset > state.offset || offset < state.offset) {
      state.offset = offset;
      state.updatedAt = Date.now();
      this.#dirty = true;
    }
  }

  touch(): void {
    this.#dirty = true;
  }

  /** Writes the registry if it changed (one write at a time). */
  flush(): Promise<void> {
    if (!this.#dirty) return this.#writing;
    this.#dirty = false;
    const files: PersistedState[] = [];
    for (const s of this.#states.values()) {
      files.push({ key: s.key, input: s.input, path: s.path, offset: s.offset, dev: s.dev, ino: s.ino, updated_at: new Date(s.updatedAt).toISOString() });
    }
    const text = JSON.stringify({ version: 1, files });
    this.#writing = this.#writing.then(() => writeAtomic(this.file, text));
    return this.#writing;
  }
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  const dir = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
