/**
 * The open indices of the store, by name. Each index lives in `indices/<uuid>/`; the
 * directory listing is the registry (an index whose database holds no metadata is a
 * creation that crashed half-way and is removed on start). Deleting an index renames its
 * directory out of the way first, so a crash mid-delete never resurrects half an index.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../telemetry/logger.ts';
import { invalidIndexName, resourceAlreadyExists } from '../errors.ts';
import { base64Uuid } from './catalog.ts';
import type { FtsExecutor } from './fts-executor.ts';
import { IndexDb, type IndexMeta } from './index-db.ts';

const DELETED_PREFIX = '.deleted-';

export class Indices {
  readonly root: string;
  readonly #byName = new Map<string, IndexDb>();
  readonly #fts: FtsExecutor;

  constructor(root: string, logger: Logger, fts: FtsExecutor) {
    this.root = root;
    this.#fts = fts;
    mkdirSync(root, { recursive: true });
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(root, entry.name);
      if (entry.name.startsWith(DELETED_PREFIX) || !IndexDb.exists(dir)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      try {
        const index = IndexDb.open(dir, fts);
        this.#byName.set(index.name, index);
      } catch (error) {
        // A creation that crashed before its metadata was committed.
        logger.warn({ err: error, dir }, 'removing an index directory without metadata (interrupted creation)');
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }

  get(name: string): IndexDb | undefined {
    return this.#byName.get(name);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  all(): IndexDb[] {
    return [...this.#byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  names(): string[] {
    return this.all().map((i) => i.name);
  }

  create(meta: Omit<IndexMeta, 'uuid' | 'creationDate' | 'state'> & { creationDate?: number }): IndexDb {
    validateIndexName(meta.name);
    const existing = this.#byName.get(meta.name);
    if (existing) throw resourceAlreadyExists(meta.name, existing.uuid);
    const uuid = base64Uuid();
    const full: IndexMeta = {
      ...meta,
      uuid,
      creationDate: meta.creationDate ?? Date.now(),
      state: 'open',
      settings: { ...meta.settings, 'index.uuid': uuid, 'index.provided_name': meta.name, 'index.creation_date': String(meta.creationDate ?? Date.now()) },
    };
    const dir = path.join(this.root, uuid);
    const index = IndexDb.create(dir, full, this.#fts);
    fsyncDir(this.root);
    this.#byName.set(meta.name, index);
    return index;
  }

  delete(index: IndexDb): void {
    index.close();
    this.#byName.delete(index.name);
    const trash = path.join(this.root, `${DELETED_PREFIX}${index.uuid}`);
    renameSync(index.dir, trash);
    fsyncDir(this.root);
    rmSync(trash, { recursive: true, force: true });
  }

  /** Every alias with the indices it points to. */
  aliases(): Map<string, IndexDb[]> {
    const out = new Map<string, IndexDb[]>();
    for (const index of this.all()) {
      for (const alias of Object.keys(index.meta.aliases)) out.set(alias, [...(out.get(alias) ?? []), index]);
    }
    return out;
  }

  closeAll(): void {
    for (const index of this.#byName.values()) index.close();
    this.#byName.clear();
  }
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const FORBIDDEN = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#'];

/** Elasticsearch's index name rules. */
export function validateIndexName(name: string): void {
  if (name.length === 0) throw invalidIndexName(name, 'must not be empty');
  if (name !== name.toLowerCase()) throw invalidIndexName(name, 'must be lowercase');
  if (FORBIDDEN.some((c) => name.includes(c))) throw invalidIndexName(name, `must not contain the following characters [${FORBIDDEN.join(', ')}]`);
  if (name.includes(':')) throw invalidIndexName(name, "must not contain ':'");
  if (/^[-_+]/.test(name)) throw invalidIndexName(name, "must not start with '_', '-', or '+'");
  if (name === '.' || name === '..') throw invalidIndexName(name, "must not be '.' or '..'");
  if (Buffer.byteLength(name) > 255) throw invalidIndexName(name, `index name is too long, (${Buffer.byteLength(name)} > 255)`);
}
