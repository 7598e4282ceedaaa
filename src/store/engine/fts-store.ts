/**
 * The full-text side of one index: `indices/<uuid>/fts.db`, a second SQLite database
 * beside `index.db` holding its contentless FTS5 tables (`fts_1`, `fts_2`, ...).
 *
 * Why a second file: SQLite lets one connection write a database at a time, and
 * tokenizing and merging the full-text index costs about as much as everything else a
 * write does. In its own file, the full-text index is written by its own thread
 * (fts-executor.ts) while the engine thread writes the next batch into `index.db` — the
 * way Elasticsearch keeps a durable translog and builds its Lucene segments beside it.
 *
 * `index.db` stays the source of truth. Every batch this file receives carries `through`:
 * once it is committed, every document numbered below it is indexed (or absent). A crash
 * between the two commits leaves this file behind `index.db`; opening the index
 * re-indexes the missing documents from their `_source` (IndexDb.open). A delete lost
 * that way leaves an entry for a document number that never comes back; searches only
 * ever join full-text matches against live `fields` rows, so it can never match.
 * Durability here is therefore `synchronous = NORMAL`: losing the last commits on power
 * loss costs a re-index, never data.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { LoglaneError } from '../../errors/loglane-error.ts';

export const FTS_DB_FILE = 'fts.db';
/** The schema name under which the read connections attach `fts.db`. */
export const FTS_SCHEMA = 'fts';

/** One commit's worth of full-text changes of an index, in the order they apply. */
export interface FtsBatch {
  /** New tables (new text fields), created first. */
  tables: { table: string; columns: number }[];
  /** Document numbers removed: deleted from every table. */
  deletes: number[];
  /** Per table, rows flattened: `doc, t0, ..., t(columns-1)` repeated. */
  rows: { table: string; columns: number; values: (number | string | null)[] }[];
  /** After this batch, every document numbered below `through` is indexed. */
  through: number;
}

export class FtsStore {
  readonly #db: DatabaseSync;
  readonly #inserts = new Map<string, StatementSync>();
  readonly #deletes = new Map<string, StatementSync>();
  readonly #setThrough: StatementSync;
  #tables: string[];
  #through: number;
  /** Set by a failed apply: later batches would move `through` past the lost one, so none apply until the index is reopened (which re-indexes). */
  #failure: Error | null = null;

  private constructor(db: DatabaseSync) {
    this.#db = db;
    this.#setThrough = db.prepare(`INSERT INTO fts_meta(key, value) VALUES ('indexed_below', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    const row = db.prepare(`SELECT value FROM fts_meta WHERE key = 'indexed_below'`).get() as { value: number } | undefined;
    this.#through = Number(row?.value ?? 1);
    this.#tables = FtsStore.#listTables(db);
  }

  /** Opens (creating it if missing) the `fts.db` of the index in `dir`. */
  static open(dir: string): FtsStore {
    const db = new DatabaseSync(path.join(dir, FTS_DB_FILE));
    db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA wal_autocheckpoint = 10000;
      PRAGMA journal_size_limit = 67108864;
      PRAGMA cache_size = -32000;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS fts_meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;`);
    return new FtsStore(db);
  }

  static exists(dir: string): boolean {
    return existsSync(path.join(dir, FTS_DB_FILE));
  }

  static #listTables(db: DatabaseSync): string[] {
    const rows = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'fts_[0-9]*' AND sql LIKE 'CREATE VIRTUAL TABLE%'`).all() as { name: string }[];
    return rows.map((r) => r.name);
  }

  /** Every document numbered below this is indexed. */
  get indexedBelow(): number {
    return this.#through;
  }

  get tables(): readonly string[] {
    return this.#tables;
  }

  /** Applies one batch in one transaction. */
  apply(batch: FtsBatch): void {
    if (this.#failure) throw fullTextError(`the full-text index stopped after a failed write (${this.#failure.message}); its documents are stored and are indexed again when the store restarts`, this.#failure);
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const { table, columns } of batch.tables) this.#create(table, columns);
      for (const doc of batch.deletes) for (const table of this.#tables) this.#delete(table).run(doc);
      for (const { table, columns, values } of batch.rows) {
        const insert = this.#insert(table, columns);
        const width = columns + 1;
        const row: (number | string | null)[] = new Array(width);
        for (let i = 0; i < values.length; i += width) {
          for (let j = 0; j < width; j++) row[j] = values[i + j]!;
          insert.run(...row);
        }
      }
      if (batch.through > this.#through) {
        this.#setThrough.run(batch.through);
        this.#through = batch.through;
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      this.#failure = error as Error;
      throw fullTextError(`writing the full-text index failed: ${(error as Error).message}; its documents are stored and are indexed again when the store restarts`, error);
    }
  }

  /** Drops every table and forgets what was indexed (a full re-index follows). */
  reset(): void {
    this.#db.exec('BEGIN IMMEDIATE');
    for (const table of this.#tables) this.#db.exec(`DROP TABLE ${table}`);
    this.#setThrough.run(1);
    this.#db.exec('COMMIT');
    this.#tables = [];
    this.#through = 1;
    this.#inserts.clear();
    this.#deletes.clear();
  }

  #create(table: string, columns: number): void {
    if (!/^fts_\d+$/.test(table)) throw new Error(`invalid full-text table name ${table}`);
    const list = Array.from({ length: columns }, (_, i) => `t${i}`).join(', ');
    this.#db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING fts5(${list}, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`);
    if (!this.#tables.includes(table)) this.#tables.push(table);
  }

  #insert(table: string, columns: number): StatementSync {
    const key = `${table}/${columns}`;
    let statement = this.#inserts.get(key);
    if (!statement) {
      const list = Array.from({ length: columns }, (_, i) => `t${i}`);
      statement = this.#db.prepare(`INSERT INTO ${table}(rowid, ${list.join(', ')}) VALUES (?${', ?'.repeat(columns)})`);
      this.#inserts.set(key, statement);
    }
    return statement;
  }

  #delete(table: string): StatementSync {
    let statement = this.#deletes.get(table);
    if (!statement) {
      statement = this.#db.prepare(`DELETE FROM ${table} WHERE rowid = ?`);
      this.#deletes.set(table, statement);
    }
    return statement;
  }

  /** Merges the full-text segments (Elasticsearch's force merge). */
  optimize(): void {
    for (const table of this.#tables) this.#db.exec(`INSERT INTO ${table}(${table}) VALUES ('optimize')`);
    this.checkpoint();
  }

  checkpoint(): void {
    this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    try {
      this.#db.close();
    } catch {
      // already closed
    }
  }
}

/** A failure of the full-text side (fts.db): the documents are safe in index.db. */
export function fullTextError(message: string, cause?: unknown): LoglaneError {
  return new LoglaneError('LOGLANE_ERR_STORE_FULLTEXT', message, { retriable: false, cause });
}
