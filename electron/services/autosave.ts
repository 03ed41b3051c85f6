/**
 * Unsaved edits survive a crash: the renderer's text is written to the user-data folder every few seconds
 * (atomically, one file per document), removed when saved or discarded, and offered back at the next start.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AutosaveEntry } from '../../src/desktop/contract.ts';
import { writeAtomic, type Eol, type FileStamp } from './files.ts';

export type { AutosaveEntry };

/** What main knew of the file on disk when the entry was written (never sent by the renderer). */
export interface DiskState {
  eol: Eol;
  bom: boolean;
  stamp: FileStamp;
}

/** An entry as stored: the renderer's entry, plus the disk state of its file (so a restore keeps the conflict check). */
export interface StoredEntry extends AutosaveEntry {
  disk?: DiskState;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class AutosaveStore {
  constructor(readonly dir: string) {}

  private file(id: string) {
    if (!ID.test(id)) throw new Error(`bad autosave id ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.json`);
  }

  async write(entry: StoredEntry): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await writeAtomic(this.file(entry.id), JSON.stringify(entry));
  }

  async discard(id: string): Promise<void> {
    await fs.rm(this.file(id), { force: true });
  }

  /** One entry, or null when there is none (or it is unreadable). */
  async read(id: string): Promise<StoredEntry | null> {
    try {
      const e = JSON.parse(await fs.readFile(this.file(id), 'utf8')) as StoredEntry;
      return isEntry(e) && e.id === id ? e : null;
    } catch {
      return null;
    }
  }

  /** Entries left by an earlier run (a crash or a kill), newest first. Unreadable ones are skipped. */
  async list(): Promise<StoredEntry[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out: StoredEntry[] = [];
    for (const n of names) {
      if (!n.endsWith('.json')) continue;
      try {
        const e = JSON.parse(await fs.readFile(join(this.dir, n), 'utf8')) as StoredEntry;
        if (isEntry(e)) out.push(e);
      } catch {
        /* a half-written or foreign file: ignore */
      }
    }
    return out.sort((a, b) => b.savedAt - a.savedAt);
  }
}

/** The shape every stored entry must have to be offered back (files in the folder are not trusted blindly). */
function isEntry(e: unknown): e is StoredEntry {
  const x = e as StoredEntry | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.id === 'string' &&
    ID.test(x.id) &&
    typeof x.text === 'string' &&
    typeof x.title === 'string' &&
    typeof x.savedAt === 'number' &&
    (x.path === null || typeof x.path === 'string')
  );
}

/**
 * Calls `flush` at most every `intervalMs` while there are changes (debounced writes), and once more on
 * `stop()`. Time is injectable for tests.
 */
export class AutosaveTimer {
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  constructor(
    private readonly flush: () => Promise<void>,
    private readonly intervalMs = 3000,
    private readonly schedule: (fn: () => void, ms: number) => ReturnType<typeof setTimeout> = setTimeout,
  ) {}
  changed() {
    this.pending = true;
    if (!this.timer) this.timer = this.schedule(() => void this.tick(), this.intervalMs);
  }
  private async tick() {
    this.timer = null;
    if (!this.pending) return;
    this.pending = false;
    await this.flush();
  }
  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending) {
      this.pending = false;
      await this.flush();
    }
  }
}
