/**
 * No lost work: while the document has unsaved edits its text is written every few seconds to a recovery
 * store (the desktop's user-data folder, or localStorage in the browser); a save or a close discards it;
 * after a crash or a kill the next start offers it back.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { AutosaveEntry, DesktopApi } from '../../src/desktop/contract.ts';
import type { EditorState } from '../store/editor.ts';

export type { AutosaveEntry };

export interface RecoveryStore {
  write(entry: AutosaveEntry): Promise<void>;
  discard(id: string): Promise<void>;
  /** Entries left by earlier sessions, newest first. */
  list(): Promise<AutosaveEntry[]>;
  /**
   * A recovered entry restored as `entry`: the new one is written before the old one is deleted (a crash in
   * between leaves two copies, never none). Returns the path the document keeps (desktop: null when the file
   * is not one the user opened or chose; it is then saved with Save As).
   */
  replace?(oldId: string, entry: AutosaveEntry): Promise<{ path: string | null }>;
}

/** replace() for stores without one of their own: write, then delete. */
export async function replaceEntry(
  store: RecoveryStore,
  oldId: string,
  entry: AutosaveEntry,
): Promise<{ path: string | null }> {
  if (store.replace) return store.replace(oldId, entry);
  await store.write(entry);
  if (oldId !== entry.id) await store.discard(oldId);
  return { path: entry.path };
}

const KEY = 'yolo-architect.autosave';

/** The fallback where IndexedDB is missing: one localStorage entry holding every document's last unsaved text. */
export class LocalRecoveryStore implements RecoveryStore {
  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {}
  private read(): Record<string, AutosaveEntry> {
    try {
      const v = JSON.parse(this.storage?.getItem(KEY) ?? '{}');
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
    } catch {
      return {};
    }
  }
  private writeAll(all: Record<string, AutosaveEntry>) {
    try {
      this.storage?.setItem(KEY, JSON.stringify(all));
    } catch {
      // storage full or disabled: nothing more can be done in a browser
    }
  }
  async write(entry: AutosaveEntry) {
    this.writeAll({ ...this.read(), [entry.id]: entry });
  }
  async discard(id: string) {
    const all = this.read();
    delete all[id];
    this.writeAll(all);
  }
  async list() {
    return Object.values(this.read())
      .filter((e) => typeof e?.text === 'string' && typeof e.savedAt === 'number')
      .sort((a, b) => b.savedAt - a.savedAt);
  }
}

/**
 * The browser's durable recovery store: IndexedDB with strict durability (a committed write survives the
 * browser being killed; localStorage commits lazily and loses the last seconds).
 */
export class IdbRecoveryStore implements RecoveryStore {
  private db: Promise<IDBDatabase> | null = null;
  constructor(private readonly idb: IDBFactory = globalThis.indexedDB) {}
  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = this.idb.open('yolo-architect', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('autosave', { keyPath: 'id' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.db;
  }
  private async tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const t = db.transaction('autosave', mode, { durability: 'strict' });
      const r = fn(t.objectStore('autosave'));
      t.oncomplete = () => resolve(r.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }
  async write(entry: AutosaveEntry) {
    await this.tx('readwrite', (s) => s.put(entry));
  }
  async discard(id: string) {
    await this.tx('readwrite', (s) => s.delete(id));
  }
  async list() {
    const all = (await this.tx('readonly', (s) => s.getAll())) as AutosaveEntry[];
    return all
      .filter((e) => typeof e?.text === 'string' && typeof e.savedAt === 'number')
      .sort((a, b) => b.savedAt - a.savedAt);
  }
}

/** The desktop's recovery store, over the preload API (files in the user-data folder). */
export class DesktopRecoveryStore implements RecoveryStore {
  constructor(private readonly api: DesktopApi) {}
  write(entry: AutosaveEntry) {
    return this.api.autosave(entry);
  }
  discard(id: string) {
    return this.api.discardAutosave(id);
  }
  list() {
    return this.api.recoverable();
  }
  replace(oldId: string, entry: AutosaveEntry) {
    return this.api.restoreAutosave(oldId, entry);
  }
}

export function defaultRecoveryStore(): RecoveryStore {
  const api = (globalThis as { yoloArchitect?: DesktopApi }).yoloArchitect;
  if (api) return new DesktopRecoveryStore(api);
  return typeof indexedDB !== 'undefined' ? new IdbRecoveryStore() : new LocalRecoveryStore();
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(h: unknown): void;
  now(): number;
}
const realTimers: Timers = {
  setTimeout: (f, ms) => globalThis.setTimeout(f, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as number),
  now: () => Date.now(),
};

/**
 * Watches the editor store: with unsaved edits, writes them at most every `intervalMs`; when the text is
 * saved (or back to the saved text), discards the entry. One id per document opened in this session.
 */
export class AutosaveController {
  readonly sessionId = `s${Math.random().toString(36).slice(2, 10)}`;
  private docSeq = 0;
  private currentId: string | null = null;
  private timer: unknown = null;

  constructor(
    private readonly store: StoreApi<EditorState>,
    private readonly recovery: RecoveryStore,
    private readonly intervalMs = 3000,
    private readonly timers: Timers = realTimers,
    /** The model's own module library, kept with its text (a custom module must not be lost with a crash). */
    private readonly modules: () => { name: string; text: string } | null = () => null,
  ) {}

  /** Start watching; returns stop. */
  start(): () => void {
    const unsub = this.store.subscribe((s, prev) => this.onChange(s, prev));
    return () => {
      unsub();
      if (this.timer !== null) this.timers.clearTimeout(this.timer);
      this.timer = null;
    };
  }

  /** A newly opened document (a file, a template, a restore) gets a new id; edits to it keep the id. */
  private idFor(s: EditorState, prev: EditorState): string {
    const opened =
      s.textOrigin === 'load' && (s.file !== prev.file || s.savedText !== prev.savedText || prev.screen !== 'editor');
    if (opened || this.currentId === null) this.currentId = `${this.sessionId}-${++this.docSeq}`;
    return this.currentId;
  }

  private onChange(s: EditorState, prev: EditorState) {
    if (s.text === prev.text && s.savedText === prev.savedText && s.screen === prev.screen) return;
    const previousId = this.currentId;
    const id = this.idFor(s, prev);
    if (previousId && previousId !== id) void this.recovery.discard(previousId);
    const dirty = s.screen === 'editor' && s.text !== s.savedText;
    if (!dirty) {
      if (this.timer !== null) this.timers.clearTimeout(this.timer);
      this.timer = null;
      void this.recovery.discard(id);
      return;
    }
    if (this.timer === null) this.timer = this.timers.setTimeout(() => this.flush(), this.intervalMs);
  }

  private cancelTimer() {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The entry for the open document's unsaved text, or null when there is nothing unsaved. */
  private entry(): AutosaveEntry | null {
    const s = this.store.getState();
    if (s.screen !== 'editor' || s.text === s.savedText || !this.currentId) return null;
    const modules = this.modules();
    return {
      id: this.currentId,
      path: s.file.path ?? null,
      title: s.file.name,
      text: s.text,
      savedAt: this.timers.now(),
      ...(modules ? { modules } : {}),
    };
  }

  /** Write the current unsaved text now (before asking the user about it, so a crash meanwhile loses nothing). */
  async flush() {
    this.cancelTimer();
    const e = this.entry();
    if (e) await this.recovery.write(e);
  }

  /**
   * The open document was just restored from the entry `oldId`: its own entry is written now, then the old
   * one is deleted. Returns the path it keeps (see RecoveryStore.replace).
   */
  async adopt(oldId: string): Promise<{ path: string | null }> {
    this.cancelTimer();
    const e = this.entry();
    if (!e) {
      await this.recovery.discard(oldId);
      return { path: null };
    }
    return replaceEntry(this.recovery, oldId, e);
  }

  /** The user chose not to keep the unsaved changes (Don't save on closing the window): the entry goes. */
  async discardCurrent() {
    this.cancelTimer();
    if (this.currentId) await this.recovery.discard(this.currentId);
  }
}
