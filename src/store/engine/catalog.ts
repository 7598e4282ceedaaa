/**
 * The store's catalog (`catalog.db`): what belongs to the cluster rather than to one
 * index — the cluster's identity, index templates (composable, component, legacy),
 * ingest pipelines, ILM policies and data streams. Each is a named JSON object of a kind.
 * Indices themselves are not listed here: each index's database is its own record
 * (see indices.ts), so creating or deleting an index is one directory operation.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

export type CatalogKind = 'cluster' | 'index_template' | 'component_template' | 'legacy_template' | 'pipeline' | 'ilm_policy' | 'data_stream' | 'script';

export class Catalog {
  readonly #db: DatabaseSync;
  readonly #get: StatementSync;
  readonly #put: StatementSync;
  readonly #delete: StatementSync;
  readonly #list: StatementSync;
  readonly #cache = new Map<CatalogKind, Map<string, unknown>>();
  readonly clusterUuid: string;

  constructor(dir: string) {
    this.#db = new DatabaseSync(path.join(dir, 'catalog.db'));
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      CREATE TABLE IF NOT EXISTS objects(kind TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY(kind, name)) WITHOUT ROWID;`);
    this.#get = this.#db.prepare('SELECT body FROM objects WHERE kind = ? AND name = ?');
    this.#put = this.#db.prepare('INSERT INTO objects(kind, name, body) VALUES (?, ?, ?) ON CONFLICT(kind, name) DO UPDATE SET body = excluded.body');
    this.#delete = this.#db.prepare('DELETE FROM objects WHERE kind = ? AND name = ?');
    this.#list = this.#db.prepare('SELECT name, body FROM objects WHERE kind = ? ORDER BY name');
    let identity = this.get<{ uuid: string }>('cluster', 'identity');
    if (!identity) {
      identity = { uuid: base64Uuid() };
      this.put('cluster', 'identity', identity);
    }
    this.clusterUuid = identity.uuid;
  }

  get<T>(kind: CatalogKind, name: string): T | undefined {
    return this.#all(kind).get(name) as T | undefined;
  }

  list<T>(kind: CatalogKind): Map<string, T> {
    return this.#all(kind) as Map<string, T>;
  }

  put(kind: CatalogKind, name: string, body: unknown): void {
    this.#put.run(kind, name, JSON.stringify(body));
    this.#all(kind).set(name, structuredClone(body));
  }

  delete(kind: CatalogKind, name: string): boolean {
    const changes = Number(this.#delete.run(kind, name).changes);
    this.#all(kind).delete(name);
    return changes > 0;
  }

  #all(kind: CatalogKind): Map<string, unknown> {
    let map = this.#cache.get(kind);
    if (!map) {
      map = new Map();
      for (const row of this.#list.all(kind) as { name: string; body: string }[]) map.set(row.name, JSON.parse(row.body));
      this.#cache.set(kind, map);
    }
    return map;
  }

  /** For tests of catalog persistence. */
  rawGet(kind: CatalogKind, name: string): unknown {
    const row = this.#get.get(kind, name) as { body: string } | undefined;
    return row ? JSON.parse(row.body) : undefined;
  }

  close(): void {
    this.#db.close();
  }
}

/** A 22-character URL-safe base64 UUID, as Elasticsearch prints index and cluster uuids. */
export function base64Uuid(): string {
  return Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
}
