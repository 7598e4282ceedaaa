/**
 * One index = one SQLite database (`indices/<uuid>/index.db`, WAL mode). See
 * docs/store.md "Storage" for why. Tables:
 *
 *   meta(key, value)             name, uuid, settings, mappings, aliases, counters (JSON)
 *   docs(doc, id, version, seq_no, routing, source)
 *                                one row per live document; `doc` is an internal number
 *                                that never repeats; `source` is the raw `_source` bytes,
 *                                or NULL when the source sits in a block
 *   blocks(first_doc, count, data)
 *                                zstd blocks of sources of consecutive docs (source-blocks.ts)
 *   fields(doc, c1, c2, ...)     one typed column per keyword/numeric/date/boolean/ip field
 *   field_storage(path, kind, tbl, col)
 *                                which table and column holds each field
 *
 * The full-text index (contentless FTS5 tables `fts_1`, `fts_2`, ..., one column per text
 * field) lives in a second file, `fts.db`, written by its own thread; see fts-store.ts.
 * Read connections attach it as schema `fts`.
 *
 * Column values: keyword → TEXT (longer than KEYWORD_INLINE_MAX: the empty BLOB, meaning
 * "read it from _source"), long/integer → INTEGER, double/float → REAL, date → INTEGER
 * epoch millis, boolean → 0/1, ip → TEXT; several values → a BLOB holding a JSON array.
 *
 * Writes happen inside `begin()`/`commit()` on the writer connection (the engine's group
 * commit puts many requests in one transaction); `commit()` is durable when it returns and
 * hands the batch's full-text rows to the FtsExecutor, whose promise it returns: a write
 * is acknowledged once both are done. Reads use a second, read-only connection and so
 * only ever see committed data.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { type ParsedDocument, parseDocument } from '../mapping/document.ts';
import { Mapping } from '../mapping/mapping.ts';
import { valuesAt } from '../mapping/values.ts';
import type { MappingDef } from '../mapping/types.ts';
import { registerSearchFunctions } from '../search/compile.ts';
import type { FtsExecutor } from './fts-executor.ts';
import { type FtsBatch, FTS_DB_FILE, FTS_SCHEMA, FtsStore } from './fts-store.ts';
import { chunkRun, DecodedBlock, encodeBlock } from './source-blocks.ts';
import type { Settings } from './settings.ts';

export const INDEX_DB_FILE = 'index.db';
/** Keyword values longer than this (in UTF-16 units) are not copied into their column. */
export const KEYWORD_INLINE_MAX = 64;
const FORMAT_VERSION = 1;
const EMPTY = new Uint8Array(0);
const BLOCK_CACHE_SIZE = 64;
/** Columns with more distinct values than this have no value set (see #valueSets). */
const VALUE_SET_MAX = 1024;
/** Documents per transaction when catching the full-text index up on open. */
const REINDEX_CHUNK = 5_000;
const RESOLVED = Promise.resolve();

export interface AliasDef {
  filter?: unknown;
  index_routing?: string;
  search_routing?: string;
  is_write_index?: boolean;
  is_hidden?: boolean;
}

export interface IndexMeta {
  name: string;
  uuid: string;
  creationDate: number;
  settings: Settings;
  mappings: MappingDef;
  aliases: Record<string, AliasDef>;
  state: 'open' | 'close';
  /** The data stream this index backs, if any. */
  dataStream: string | null;
}

export interface DocRow {
  doc: number;
  id: string;
  version: number;
  seqNo: number;
  routing: string | null;
}

export interface FieldStorage {
  kind: 'column' | 'text';
  table: string;
  column: string;
}

export class IndexDb {
  readonly dir: string;
  readonly meta: IndexMeta;
  mapping: Mapping;
  readonly #db: DatabaseSync;
  #reader: DatabaseSync | null = null;
  #readerStatements: { get: StatementSync; inline: StatementSync; block: StatementSync } | null = null;
  readonly #statements: Record<string, StatementSync> = {};
  readonly #fieldInserts = new Map<string, StatementSync>();
  readonly #fts: FtsExecutor;
  #storage = new Map<string, FieldStorage>();
  #committedStorage = new Map<string, FieldStorage>();
  #ftsTables: string[] = [];
  #columnCount = 0;
  #nextDoc = 1;
  #maxSeqNo = -1;
  #docCount = 0;
  #committedDocCount = 0;
  #inTxn = false;
  #packing = false;
  #pendingSources: { doc: number; source: Uint8Array | null }[] = [];
  readonly #pendingSourceByDoc = new Map<number, Uint8Array>();
  readonly #pendingFts = new Map<number, Map<string, string>>();
  #pendingFtsDeletes: number[] = [];
  /** The `through` of the last full-text batch handed over. */
  #ftsThrough = 0;
  #newTextFields: string[] = [];
  #metaDirty = false;
  #reconfigure = false;
  readonly #blockCache = new Map<number, DecodedBlock>();
  /**
   * Distinct string values each column has ever held, while there are few of them
   * (VALUE_SET_MAX); null when there are more or when unknown (an index written before
   * these sets existed). A superset (deletes do not shrink it): searches use it only to
   * prove that a keyword value occurs nowhere and skip that comparison.
   */
  #valueSets = new Map<string, Set<string> | null>();
  #valueSetsDirty = false;
  #valueSetsKnown = true;

  private constructor(dir: string, db: DatabaseSync, meta: IndexMeta, fts: FtsExecutor) {
    this.dir = dir;
    this.#db = db;
    this.meta = meta;
    this.mapping = Mapping.fromStored(meta.mappings);
    this.#fts = fts;
  }

  /** Creates the database of a new index in `dir` (which must not exist yet). */
  static create(dir: string, meta: IndexMeta, fts: FtsExecutor): IndexDb {
    mkdirSync(dir, { recursive: true });
    const db = new DatabaseSync(path.join(dir, INDEX_DB_FILE));
    configure(db, meta.settings);
    db.exec(`
      BEGIN;
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE docs(doc INTEGER PRIMARY KEY, id TEXT NOT NULL, version INTEGER NOT NULL, seq_no INTEGER NOT NULL, routing TEXT, source BLOB);
      CREATE UNIQUE INDEX docs_id ON docs(id);
      CREATE INDEX docs_inline ON docs(doc) WHERE source IS NOT NULL;
      CREATE TABLE blocks(first_doc INTEGER PRIMARY KEY, count INTEGER NOT NULL, data BLOB NOT NULL);
      CREATE TABLE fields(doc INTEGER PRIMARY KEY);
      CREATE TABLE field_storage(path TEXT PRIMARY KEY, kind TEXT NOT NULL, tbl TEXT NOT NULL, col TEXT NOT NULL) WITHOUT ROWID;
      COMMIT;`);
    const index = new IndexDb(dir, db, meta, fts);
    index.#prepare();
    index.#registerWriterFunctions();
    FtsStore.open(dir).close();
    fts.open(meta.uuid, dir);
    index.begin(false);
    index.#metaDirty = true;
    index.#setMeta('format_version', FORMAT_VERSION);
    index.#ensureStorage();
    index.commit().catch(() => {}); // a failure reaches the first write's acknowledgement
    return index;
  }

  static open(dir: string, fts: FtsExecutor): IndexDb {
    const db = new DatabaseSync(path.join(dir, INDEX_DB_FILE));
    const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    const values = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    const meta = values.get('index') as IndexMeta | undefined;
    if (!meta) throw new Error(`${dir} holds no index metadata`);
    configure(db, meta.settings);
    const index = new IndexDb(dir, db, meta, fts);
    index.#prepare();
    index.#registerWriterFunctions();
    index.#loadState(values);
    index.#catchUpFts();
    index.#ftsThrough = index.#nextDoc;
    fts.open(meta.uuid, dir);
    return index;
  }

  /**
   * Brings fts.db up to index.db before the FtsExecutor takes it over: re-indexes, from
   * their `_source`, the documents a crash left out of it (see fts-store.ts), and moves an
   * index whose full-text tables still sit in index.db (written before fts.db existed)
   * by re-indexing everything. Returns the number of documents re-indexed.
   */
  #catchUpFts(): number {
    const store = FtsStore.open(this.dir);
    try {
      const inline = this.#db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'fts_[0-9]*' AND sql LIKE 'CREATE VIRTUAL TABLE%'`)
        .all() as { name: string }[];
      if (inline.length > 0) {
        store.reset();
        this.#db.exec('BEGIN IMMEDIATE');
        for (const { name } of inline) this.#db.exec(`DROP TABLE main.${name}`);
        this.#db.exec('COMMIT');
      }
      const layout = this.#ftsLayout();
      const tables = [...layout].map(([table, paths]) => ({ table, columns: paths.length }));
      const missing = tables.some((t) => !store.tables.includes(t.table));
      if (store.indexedBelow >= this.#nextDoc && !missing) return 0;
      if (layout.size === 0) {
        // no text field: nothing to index, only the mark to move
        store.apply({ tables: [], deletes: [], rows: [], through: this.#nextDoc });
        return 0;
      }
      const docs = this.#db.prepare('SELECT doc FROM docs WHERE doc >= ? ORDER BY doc').all(store.indexedBelow) as { doc: number }[];
      let reindexed = 0;
      for (let start = 0; start === 0 || start < docs.length; start += REINDEX_CHUNK) {
        const texts = new Map<number, Map<string, string>>();
        for (const { doc } of docs.slice(start, start + REINDEX_CHUNK)) {
          const found = this.#textsOf(doc);
          if (found) texts.set(doc, found);
        }
        const last = start + REINDEX_CHUNK >= docs.length;
        store.apply({ tables: start === 0 ? tables : [], deletes: [], rows: this.#ftsRows(layout, texts), through: last ? this.#nextDoc : docs[start + REINDEX_CHUNK]!.doc });
        reindexed += texts.size;
      }
      return reindexed;
    } finally {
      store.close();
    }
  }

  /** The text values of a stored document, per field path, as its full-text row holds them. */
  #textsOf(doc: number): Map<string, string> | null {
    const bytes = this.source(doc);
    if (!bytes) return null;
    let parsed: ParsedDocument;
    try {
      parsed = parseDocument(this.mapping, JSON.parse(bytes.toString('utf8')) as Record<string, unknown>, {
        id: '',
        errorType: 'mapper_parsing_exception',
        totalFieldsLimit: Number.MAX_SAFE_INTEGER,
      });
    } catch {
      return null; // it was indexed under this mapping once; a source that no longer parses has nothing to add
    }
    let texts: Map<string, string> | null = null;
    for (const [fieldPath, list] of parsed.values) {
      if (this.#storage.get(fieldPath)?.kind === 'text') (texts ??= new Map()).set(fieldPath, joinText(list));
    }
    return texts;
  }

  static exists(dir: string): boolean {
    return existsSync(path.join(dir, INDEX_DB_FILE));
  }

  get name(): string {
    return this.meta.name;
  }

  get uuid(): string {
    return this.meta.uuid;
  }

  get maxSeqNo(): number {
    return this.#maxSeqNo;
  }

  /** Live documents as of the last commit. */
  get docCount(): number {
    return this.#committedDocCount;
  }

  get inTransaction(): boolean {
    return this.#inTxn;
  }

  /** Where each field's values are kept, as of the last commit (what readers may query). */
  get committedStorage(): ReadonlyMap<string, FieldStorage> {
    return this.#committedStorage;
  }

  get ftsTables(): readonly string[] {
    return this.#ftsTables;
  }

  #prepare(): void {
    const db = this.#db;
    Object.assign(this.#statements, {
      lookup: db.prepare('SELECT doc, id, version, seq_no AS seqNo, routing FROM docs WHERE id = ?'),
      insertDoc: db.prepare('INSERT INTO docs(doc, id, version, seq_no, routing, source) VALUES (?, ?, ?, ?, ?, ?)'),
      deleteDoc: db.prepare('DELETE FROM docs WHERE doc = ?'),
      live: db.prepare('SELECT 1 FROM docs WHERE doc = ?'),
      deleteFields: db.prepare('DELETE FROM fields WHERE doc = ?'),
      inlineSource: db.prepare('SELECT source FROM docs WHERE doc = ?'),
      block: db.prepare('SELECT first_doc AS firstDoc, data FROM blocks WHERE first_doc <= ? ORDER BY first_doc DESC LIMIT 1'),
      insertBlock: db.prepare('INSERT INTO blocks(first_doc, count, data) VALUES (?, ?, ?)'),
      setMeta: db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      insertStorage: db.prepare('INSERT INTO field_storage(path, kind, tbl, col) VALUES (?, ?, ?, ?)'),
    });
  }

  #registerWriterFunctions(): void {
    this.#registerFunctions(this.#db, (doc) => this.source(doc));
  }

  #loadState(values?: Map<string, unknown>): void {
    if (!values) {
      const rows = this.#db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
      values = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    }
    const meta = values.get('index') as IndexMeta;
    Object.assign(this.meta, meta);
    this.mapping = Mapping.fromStored(meta.mappings);
    this.#nextDoc = Number(values.get('next_doc') ?? 1);
    this.#maxSeqNo = Number(values.get('max_seq_no') ?? -1);
    this.#docCount = this.#committedDocCount = Number(values.get('doc_count') ?? 0);
    const storage = this.#db.prepare('SELECT path, kind, tbl, col FROM field_storage').all() as { path: string; kind: 'column' | 'text'; tbl: string; col: string }[];
    this.#storage = new Map(storage.map((s) => [s.path, { kind: s.kind, table: s.tbl, column: s.col }]));
    this.#committedStorage = new Map(this.#storage);
    this.#ftsTables = [...new Set(storage.filter((s) => s.kind === 'text').map((s) => s.tbl))].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    this.#columnCount = storage.filter((s) => s.kind === 'column').length;
    const sets = values.get('value_sets') as Record<string, string[] | null> | undefined;
    this.#valueSets = new Map();
    this.#valueSetsKnown = sets !== undefined || this.#docCount === 0;
    if (sets) for (const [column, list] of Object.entries(sets)) this.#valueSets.set(column, list ? new Set(list) : null);
    this.#fieldInserts.clear();
  }

  // ---- transactions -------------------------------------------------------------

  /** Starts a write transaction. `packing`: this batch is large enough to write sources as compressed blocks. */
  begin(packing: boolean): void {
    if (this.#inTxn) return;
    this.#db.exec('BEGIN IMMEDIATE');
    this.#inTxn = true;
    this.#packing = packing;
  }

  /**
   * Writes what the transaction buffered (blocks, counters) and commits: durable when it
   * returns. The returned promise settles when the full-text rows are committed too; the
   * new fields become visible to searches (`committedStorage`) then.
   */
  commit(): Promise<void> {
    if (!this.#inTxn) return RESOLVED;
    let batch: FtsBatch | null;
    try {
      this.#flushBlocks();
      batch = this.#ftsBatch();
      this.#setMeta('next_doc', this.#nextDoc);
      this.#setMeta('max_seq_no', this.#maxSeqNo);
      this.#setMeta('doc_count', this.#docCount);
      if (this.#valueSetsDirty && this.#valueSetsKnown) {
        this.#setMeta('value_sets', Object.fromEntries([...this.#valueSets].map(([c, set]) => [c, set ? [...set] : null])));
        this.#valueSetsDirty = false;
      }
      if (this.#metaDirty) {
        this.meta.mappings = this.mapping.toJSON();
        this.#setMeta('index', this.meta);
        this.#metaDirty = false;
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.rollback();
      throw error;
    }
    this.#inTxn = false;
    if (this.#reconfigure) {
      this.#reconfigure = false;
      configure(this.#db, this.meta.settings);
    }
    this.#committedDocCount = this.#docCount;
    this.#clearPending();
    const storage = new Map(this.#storage);
    if (!batch) {
      this.#committedStorage = storage;
      return RESOLVED;
    }
    const applied = this.#fts.apply(this.uuid, batch).then(() => {
      this.#committedStorage = storage;
    });
    applied.catch(() => {}); // callers that do not wait must not leave it unhandled
    return applied;
  }

  /** Abandons the transaction and reloads the state from disk. */
  rollback(): void {
    if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
    this.#inTxn = false;
    this.#metaDirty = false;
    this.#clearPending();
    this.#blockCache.clear();
    this.#loadState();
  }

  #clearPending(): void {
    this.#pendingSources = [];
    this.#pendingSourceByDoc.clear();
    this.#pendingFts.clear();
    this.#pendingFtsDeletes = [];
    this.#newTextFields = [];
  }

  #setMeta(key: string, value: unknown): void {
    this.#statements.setMeta!.run(key, JSON.stringify(value));
  }

  // ---- metadata changes (inside a transaction) ------------------------------------

  /** Merges a mapping update and makes room (columns, full-text columns) for new fields. */
  updateMapping(update: unknown): void {
    this.mapping = this.mapping.merge(update);
    this.#metaDirty = true;
    this.#ensureStorage();
  }

  /** Replaces settings, aliases, state (the caller validated them). */
  updateMeta(change: Partial<Pick<IndexMeta, 'settings' | 'aliases' | 'state' | 'dataStream'>>): void {
    Object.assign(this.meta, change);
    this.#metaDirty = true;
    // PRAGMA synchronous cannot change inside a transaction: applied after the commit.
    if (change.settings) this.#reconfigure = true;
  }

  #ensureStorage(): void {
    for (const leaf of this.mapping.leaves.values()) {
      if (leaf.storage === 'none' || this.#storage.has(leaf.path)) continue;
      if (leaf.storage === 'text') {
        if (!this.#newTextFields.includes(leaf.path)) this.#newTextFields.push(leaf.path);
        continue;
      }
      const column = `c${++this.#columnCount}`;
      this.#db.exec(`ALTER TABLE fields ADD COLUMN ${column}`);
      if (leaf.type === 'date' && leaf.path === '@timestamp') {
        this.#db.exec(`CREATE INDEX fields_${column} ON fields(${column})`);
      }
      this.#addStorage(leaf.path, { kind: 'column', table: 'fields', column });
      this.#fieldInserts.clear();
    }
  }

  #addStorage(fieldPath: string, storage: FieldStorage): void {
    this.#storage.set(fieldPath, storage);
    this.#statements.insertStorage!.run(fieldPath, storage.kind, storage.table, storage.column);
  }

  // ---- document writes (inside a transaction) -------------------------------------

  lookup(id: string): DocRow | null {
    return (this.#statements.lookup!.get(id) as DocRow | undefined) ?? null;
  }

  nextSeqNo(): number {
    return ++this.#maxSeqNo;
  }

  /** Writes a new document version; returns its internal doc number. */
  put(id: string, version: number, seqNo: number, routing: string | null, source: Uint8Array, parsed: ParsedDocument): number {
    const doc = this.#nextDoc++;
    if (this.#packing) {
      this.#statements.insertDoc!.run(doc, id, version, seqNo, routing, null);
      this.#pendingSources.push({ doc, source });
      this.#pendingSourceByDoc.set(doc, source);
    } else {
      this.#statements.insertDoc!.run(doc, id, version, seqNo, routing, source);
    }
    this.#docCount++;
    let columns: string[] | undefined;
    let values: unknown[] | undefined;
    let texts: Map<string, string> | undefined;
    for (const [fieldPath, list] of parsed.values) {
      const storage = this.#storage.get(fieldPath);
      if (storage === undefined) {
        // a text field whose FTS column is created at commit
        if (this.#newTextFields.includes(fieldPath)) (texts ??= new Map()).set(fieldPath, joinText(list));
        continue;
      }
      if (storage.kind === 'text') {
        (texts ??= new Map()).set(fieldPath, joinText(list));
        continue;
      }
      (columns ??= []).push(storage.column);
      (values ??= []).push(encodeColumnValue(list));
      if (this.#valueSetsKnown) this.#noteValues(storage.column, list);
    }
    // Every document has a `fields` row (possibly empty) so that searches can run over `fields` alone.
    this.#insertFields(doc, columns ?? [], values ?? []);
    if (texts) this.#pendingFts.set(doc, texts);
    return doc;
  }

  #noteValues(column: string, list: readonly unknown[]): void {
    let set = this.#valueSets.get(column);
    if (set === null) return;
    for (const value of list) {
      if (typeof value !== 'string') {
        this.#valueSets.set(column, null);
        this.#valueSetsDirty = true;
        return;
      }
      if (!set) this.#valueSets.set(column, (set = new Set()));
      if (set.has(value)) continue;
      if (set.size >= VALUE_SET_MAX) {
        this.#valueSets.set(column, null);
        this.#valueSetsDirty = true;
        return;
      }
      set.add(value);
      this.#valueSetsDirty = true;
    }
  }

  /** The distinct string values a column may hold (a superset), or null when unknown or many. */
  knownValues(column: string): ReadonlySet<string> | null {
    if (!this.#valueSetsKnown) return null;
    const set = this.#valueSets.get(column);
    return set === undefined ? new Set() : set;
  }

  /** Whether a document version is live in this transaction's view. */
  isLive(doc: number): boolean {
    return this.#statements.live!.get(doc) !== undefined;
  }

  /** Removes a document version (by its doc number). */
  remove(doc: number): void {
    this.#statements.deleteDoc!.run(doc);
    this.#statements.deleteFields!.run(doc);
    this.#docCount--;
    if (this.#pendingFts.delete(doc)) return;
    if (this.#ftsTables.length > 0) this.#pendingFtsDeletes.push(doc);
    if (this.#pendingSourceByDoc.delete(doc)) {
      const pending = this.#pendingSources.find((p) => p.doc === doc);
      if (pending) pending.source = null;
    }
  }

  #insertFields(doc: number, columns: string[], values: unknown[]): void {
    const key = columns.join(',');
    let statement = this.#fieldInserts.get(key);
    if (!statement) {
      statement = this.#db.prepare(`INSERT INTO fields(doc${key ? `, ${key}` : ''}) VALUES (?${', ?'.repeat(columns.length)})`);
      this.#fieldInserts.set(key, statement);
    }
    statement.run(doc, ...(values as (string | number | Uint8Array | null)[]));
  }

  #flushBlocks(): void {
    if (this.#pendingSources.length === 0) return;
    for (const chunk of chunkRun(this.#pendingSources)) {
      this.#statements.insertBlock!.run(chunk[0]!.doc, chunk.length, encodeBlock(chunk.map((c) => c.source)));
    }
  }

  /** The transaction's full-text changes (new tables are registered in field_storage here), or null when none. */
  #ftsBatch(): FtsBatch | null {
    const tables: FtsBatch['tables'] = [];
    if (this.#newTextFields.length > 0) {
      const table = `fts_${this.#ftsTables.length + 1}`;
      this.#newTextFields.forEach((fieldPath, i) => {
        this.#addStorage(fieldPath, { kind: 'text', table, column: `t${i}` });
      });
      tables.push({ table, columns: this.#newTextFields.length });
      this.#ftsTables.push(table);
      this.#newTextFields = [];
    }
    // A batch also goes when only document numbers advanced (documents without text), so
    // that opening the index does not re-read them.
    if (tables.length === 0 && this.#pendingFts.size === 0 && this.#pendingFtsDeletes.length === 0 && this.#nextDoc === this.#ftsThrough) return null;
    this.#ftsThrough = this.#nextDoc;
    return { tables, deletes: this.#pendingFtsDeletes, rows: this.#ftsRows(this.#ftsLayout(), this.#pendingFts), through: this.#nextDoc };
  }

  /** Each full-text table with the field path of each of its columns. */
  #ftsLayout(): Map<string, string[]> {
    const byTable = new Map<string, string[]>();
    for (const [fieldPath, storage] of this.#storage) {
      if (storage.kind !== 'text') continue;
      const list = byTable.get(storage.table) ?? [];
      list[Number(storage.column.slice(1))] = fieldPath;
      byTable.set(storage.table, list);
    }
    return byTable;
  }

  #ftsRows(layout: Map<string, string[]>, pending: Map<number, Map<string, string>>): FtsBatch['rows'] {
    const rows: FtsBatch['rows'] = [];
    if (pending.size === 0) return rows;
    for (const [table, paths] of layout) {
      const values: (number | string | null)[] = [];
      for (const [doc, texts] of pending) {
        const start = values.length;
        let any = false;
        values.push(doc);
        for (const fieldPath of paths) {
          const text = texts.get(fieldPath);
          values.push(text ?? null);
          if (text !== undefined) any = true;
        }
        if (!any) values.length = start;
      }
      if (values.length > 0) rows.push({ table, columns: paths.length, values });
    }
    return rows;
  }

  /** The `_source` of a document version (writer side: sees this transaction's writes). */
  source(doc: number): Buffer | null {
    const pending = this.#pendingSourceByDoc.get(doc);
    if (pending) return Buffer.from(pending.buffer, pending.byteOffset, pending.byteLength);
    return this.#readSource(doc, this.#statements.inlineSource!, this.#statements.block!);
  }

  #readSource(doc: number, inline: StatementSync, block: StatementSync): Buffer | null {
    const row = inline.get(doc) as { source: Uint8Array | null } | undefined;
    if (!row) return null;
    if (row.source) return Buffer.from(row.source.buffer, row.source.byteOffset, row.source.byteLength);
    const cached = this.#cachedBlockFor(doc);
    if (cached) return cached.source(doc);
    const blockRow = block.get(doc) as { firstDoc: number; data: Uint8Array } | undefined;
    if (!blockRow) return null;
    const decoded = new DecodedBlock(blockRow.firstDoc, blockRow.data);
    if (this.#blockCache.size >= BLOCK_CACHE_SIZE) this.#blockCache.delete(this.#blockCache.keys().next().value!);
    this.#blockCache.set(decoded.firstDoc, decoded);
    return decoded.source(doc);
  }

  #cachedBlockFor(doc: number): DecodedBlock | null {
    for (const block of this.#blockCache.values()) {
      if (doc >= block.firstDoc && doc < block.firstDoc + block.count) return block;
    }
    return null;
  }

  /**
   * Moves documents whose sources were written inline (small batches) into compressed
   * blocks once enough of them accumulated. Runs in its own transaction between batches.
   */
  packInlineSources(minDocs = 64): number {
    if (this.#inTxn) return 0;
    // docs_inline indexes only the rows that still hold their source: cheap when there are none.
    const inline = Number((this.#db.prepare('SELECT count(*) AS n FROM docs INDEXED BY docs_inline WHERE source IS NOT NULL').get() as { n: number }).n);
    if (inline < minDocs) return 0;
    const rows = this.#db.prepare('SELECT doc, source FROM docs INDEXED BY docs_inline WHERE source IS NOT NULL ORDER BY doc').all() as { doc: number; source: Uint8Array }[];
    const blockBetween = this.#db.prepare('SELECT 1 FROM blocks WHERE first_doc > ? AND first_doc < ? LIMIT 1');
    const runs: { doc: number; source: Uint8Array | null }[][] = [];
    let run: { doc: number; source: Uint8Array | null }[] = [];
    for (const row of rows) {
      const last = run[run.length - 1];
      if (last && blockBetween.get(last.doc, row.doc)) {
        runs.push(run);
        run = [];
      }
      const previous = run[run.length - 1];
      if (previous) for (let gap = previous.doc + 1; gap < row.doc; gap++) run.push({ doc: gap, source: null });
      run.push({ doc: row.doc, source: row.source });
    }
    runs.push(run);
    let packed = 0;
    this.begin(false);
    const clear = this.#db.prepare('UPDATE docs SET source = NULL WHERE doc = ?');
    for (const candidate of runs) {
      if (candidate.filter((c) => c.source).length < minDocs) continue;
      for (const chunk of chunkRun(candidate)) {
        this.#statements.insertBlock!.run(chunk[0]!.doc, chunk.length, encodeBlock(chunk.map((c) => c.source)));
        for (const c of chunk) if (c.source) clear.run(c.doc);
        packed += chunk.filter((c) => c.source).length;
      }
    }
    this.commit();
    return packed;
  }

  // ---- reads (committed data, read-only connection) -------------------------------

  reader(): DatabaseSync {
    if (!this.#reader) {
      this.#reader = new DatabaseSync(path.join(this.dir, INDEX_DB_FILE), { readOnly: true });
      // Not query_only: searches create temp.fts5vocab tables (the file itself is opened read-only).
      this.#reader.exec('PRAGMA cache_size = -64000; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 268435456');
      this.#reader.prepare(`ATTACH DATABASE ? AS ${FTS_SCHEMA}`).run(path.join(this.dir, FTS_DB_FILE));
      this.#reader.exec(`PRAGMA ${FTS_SCHEMA}.cache_size = -64000; PRAGMA ${FTS_SCHEMA}.mmap_size = 268435456`);
      this.#readerStatements = {
        get: this.#reader.prepare('SELECT doc, id, version, seq_no AS seqNo, routing, source FROM docs WHERE id = ?'),
        inline: this.#reader.prepare('SELECT source FROM docs WHERE doc = ?'),
        block: this.#reader.prepare('SELECT first_doc AS firstDoc, data FROM blocks WHERE first_doc <= ? ORDER BY first_doc DESC LIMIT 1'),
      };
      const { inline, block } = this.#readerStatements;
      this.#registerFunctions(this.#reader, (doc) => this.#readSource(doc, inline, block));
    }
    return this.#reader;
  }

  /** SQL functions for queries that must look into `_source` (values not kept in columns). */
  #registerFunctions(db: DatabaseSync, sourceOf: (doc: number) => Buffer | null): void {
    const parsed = (doc: unknown): unknown => {
      const bytes = sourceOf(Number(doc));
      return bytes ? JSON.parse(bytes.toString('utf8')) : null;
    };
    // source_has(doc, path, json): whether the field at path has the value (JSON-encoded).
    db.function('source_has', { deterministic: true }, (doc, fieldPath, json) => {
      const wanted = JSON.parse(String(json)) as unknown;
      return valuesAt(parsed(doc), String(fieldPath)).some((v) => v === wanted || String(v) === String(wanted)) ? 1 : 0;
    });
    db.function('source_exists', { deterministic: true }, (doc, fieldPath) => (valuesAt(parsed(doc), String(fieldPath)).length > 0 ? 1 : 0));
    registerSearchFunctions(db, (doc, fieldPath) => valuesAt(parsed(doc), fieldPath));
  }


  /** A committed document's `_source` (read-only connection). */
  committedSource(doc: number): Buffer | null {
    this.reader();
    return this.#readSource(doc, this.#readerStatements!.inline, this.#readerStatements!.block);
  }

  /** Runs a read query on the committed data. */
  query(sql: string, params: readonly (string | number | null)[] | Record<string, string | number | null | Uint8Array>): Record<string, unknown>[] {
    const db = this.reader();
    if (!Array.isArray(params)) return db.prepare(sql).all(params as Record<string, string>) as Record<string, unknown>[];
    return db.prepare(sql).all(...(params as (string | number | null)[])) as Record<string, unknown>[];
  }

  /** A committed document by id, with its source. */
  get(id: string): (DocRow & { source: Buffer | null }) | null {
    this.reader();
    const row = this.#readerStatements!.get.get(id) as (DocRow & { source: Uint8Array | null }) | undefined;
    if (!row) return null;
    const source = row.source
      ? Buffer.from(row.source.buffer, row.source.byteOffset, row.source.byteLength)
      : this.#readSource(row.doc, this.#readerStatements!.inline, this.#readerStatements!.block);
    return { doc: row.doc, id: row.id, version: row.version, seqNo: row.seqNo, routing: row.routing, source };
  }

  /** Bytes on disk (database, WAL and shared-memory files). */
  sizeBytes(): number {
    let total = 0;
    for (const file of readdirSync(this.dir)) {
      try {
        total += statSync(path.join(this.dir, file)).size;
      } catch {
        // a WAL file can vanish between readdir and stat
      }
    }
    return total;
  }

  /** Copies the WAL into the database file (Elasticsearch's flush). */
  checkpoint(): Promise<void> {
    if (this.#inTxn) return RESOLVED;
    this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    return this.#fts.checkpoint(this.uuid);
  }

  /**
   * Creates a composite index on two `fields` columns (e.g. @timestamp and a keyword a
   * dashboard groups by) so that grouping reads only the index. Built once, on request of
   * a search that would use it (see search/fast-aggs.ts); runs outside transactions.
   */
  ensureCompositeIndex(first: string, second: string): boolean {
    if (this.#inTxn || !/^c\d+$/.test(first) || !/^c\d+$/.test(second)) return false;
    this.#db.exec(`CREATE INDEX IF NOT EXISTS fields_${first}_${second} ON fields(${first}, ${second})`);
    return true;
  }

  /** Whether `fields` has the composite index of two columns. */
  hasCompositeIndex(first: string, second: string): boolean {
    return this.reader().prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(`fields_${first}_${second}`) !== undefined;
  }

  /** Merges the full-text segments and checkpoints both files. */
  optimize(): Promise<void> {
    if (this.#inTxn) return RESOLVED;
    this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    return this.#fts.optimize(this.uuid);
  }

  /** Closes both connections; the full-text thread closes fts.db after the batches it was given. */
  close(): void {
    try {
      if (this.#inTxn) this.rollback();
      this.#reader?.close();
      this.#db.close();
    } catch {
      // closing twice, or after a failed open
    }
    this.#reader = null;
    this.#fts.close(this.uuid).catch(() => {});
  }
}

function configure(db: DatabaseSync, settings: Settings): void {
  const durability = String(settings['index.translog.durability'] ?? 'request').toLowerCase();
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = ${durability === 'async' ? 'NORMAL' : 'FULL'};
    PRAGMA wal_autocheckpoint = 10000;
    PRAGMA journal_size_limit = 67108864;
    PRAGMA cache_size = -32000;
    PRAGMA busy_timeout = 5000;`);
}

function joinText(values: readonly unknown[]): string {
  return values.length === 1 ? String(values[0]) : values.map(String).join('\n');
}

function encodeColumnValue(values: readonly unknown[]): string | number | Uint8Array | null {
  if (values.length === 1) return encodeOne(values[0]);
  return Buffer.from(JSON.stringify(values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v))));
}

function encodeOne(value: unknown): string | number | Uint8Array | null {
  if (typeof value === 'string') return value.length > KEYWORD_INLINE_MAX ? EMPTY : value;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}
