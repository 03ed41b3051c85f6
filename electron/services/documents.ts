/**
 * The documents of the desktop app, without Electron (so every rule is unit-tested): which paths the user
 * granted, what each open file was on disk (line endings, BOM, stamp for the changed-on-disk check), recent
 * files, and the autosave entries kept for crash recovery. main.ts owns windows, dialogs and IPC and calls in.
 *
 * Grants: a path is granted by a dialog, the command line, the OS (open-file, a second launch) or by being in
 * recent files (which were granted that way before). An autosave entry stores a path only when it is granted;
 * a path read back from an autosave file is never granted by that.
 */
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { AutosaveEntry, DesktopFile, ExistingFile, SaveResult } from '../../src/desktop/contract.ts';
import { AutosaveStore, type DiskState, type StoredEntry } from './autosave.ts';
import { IpcError, PathGrants, check } from './access.ts';
import {
  FileError,
  existingFiles,
  readBinaryFile,
  readTextFile,
  saveTextFile,
  writeAtomic,
  writeFilesInto,
} from './files.ts';
import { companionPath, readCompanion, saveModulesFile } from './modules.ts';

export const MAX_RECENT = 10;

export type OpenOutcome =
  | { ok: true; file: DesktopFile }
  | { ok: false; reason: 'not-found'; message: string }
  | { ok: false; reason: 'error'; message: string };

export interface DocumentServiceOptions {
  /** The app's user-data folder: autosave/ and recent.json live there. */
  userData: string;
  /** The recent list changed (main rebuilds the menu). */
  onRecentChanged?(): void;
}

export class DocumentService {
  readonly grants = new PathGrants();
  /** Folders the user picked for an export (written into, never read beyond the export's own names). */
  readonly folders = new PathGrants();
  readonly autosave: AutosaveStore;
  private readonly known = new Map<string, DiskState>();
  private readonly recentPath: string;
  private recentList: string[] = [];

  constructor(private readonly opts: DocumentServiceOptions) {
    this.autosave = new AutosaveStore(join(opts.userData, 'autosave'));
    this.recentPath = join(opts.userData, 'recent.json');
  }

  get recent(): readonly string[] {
    return this.recentList;
  }

  /** Recent files from the last run; each is granted again (the user chose it then). */
  async loadRecent(): Promise<void> {
    try {
      const list = JSON.parse(await fs.readFile(this.recentPath, 'utf8'));
      this.recentList = Array.isArray(list)
        ? list.filter((p): p is string => typeof p === 'string' && p.length <= 4096).slice(0, MAX_RECENT)
        : [];
    } catch {
      this.recentList = [];
    }
    for (const p of this.recentList) this.grants.grant(p);
  }

  private recentWrite: Promise<void> = Promise.resolve();

  private setRecent(list: string[]) {
    this.recentList = list.slice(0, MAX_RECENT);
    const text = JSON.stringify(this.recentList);
    // one write after the other, so the last list is the one on disk
    this.recentWrite = this.recentWrite.then(() => writeAtomic(this.recentPath, text)).catch(() => {});
    this.opts.onRecentChanged?.();
  }

  /** Wait for the recent list to be on disk (quitting, tests). */
  async flush(): Promise<void> {
    await this.recentWrite;
  }

  remember(path: string) {
    this.setRecent([path, ...this.recentList.filter((p) => p !== path)]);
  }

  clearRecent() {
    this.setRecent([]);
  }

  /** What main knows of a file on disk (for the watcher's "changed on disk" and the save check). */
  diskState(path: string): DiskState | undefined {
    return this.known.get(path);
  }

  /** Open a path the user chose (dialog, command line, OS): granted from now on. */
  async openChosen(path: string): Promise<OpenOutcome> {
    return this.read(this.grants.grant(path));
  }

  /** Open a path the page names (recent files, a reload): only when it was granted. */
  async openGranted(path: unknown): Promise<OpenOutcome> {
    return this.read(this.grants.check(path));
  }

  private async read(p: string): Promise<OpenOutcome> {
    try {
      if (/\.pt$/i.test(p)) {
        // a YOLOv5 checkpoint: the page reads it in a worker (src/core/checkpoint); nothing here unpickles
        const bytes = await readBinaryFile(p);
        this.remember(p);
        return {
          ok: true,
          file: {
            name: basename(p),
            path: p,
            text: '',
            bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          },
        };
      }
      const snap = await readTextFile(p);
      this.known.set(p, { eol: snap.eol, bom: snap.bom, stamp: snap.stamp });
      this.remember(p);
      const modules = await readCompanion(p);
      if (modules) this.grants.grant(modules.path);
      return {
        ok: true,
        file: {
          name: basename(p),
          path: p,
          text: snap.text,
          ...(modules ? { modules: { name: modules.name, text: modules.text } } : {}),
        },
      };
    } catch (e) {
      if (e instanceof FileError && e.code === 'not-found') {
        if (this.recentList.includes(p)) this.setRecent(this.recentList.filter((r) => r !== p));
        return { ok: false, reason: 'not-found', message: e.message };
      }
      return { ok: false, reason: 'error', message: (e as Error).message };
    }
  }

  /** Save to a granted path; refused (changed-on-disk) when the file changed since it was read, unless forced. */
  async save(path: unknown, text: unknown, force: unknown): Promise<SaveResult> {
    return this.write(this.grants.check(path), check.string(text, 'text'), check.boolean(force, 'force'));
  }

  /** Save to a path the user chose in the save dialog (a new file, or one they agreed to replace). */
  async saveChosen(path: string, text: unknown): Promise<SaveResult> {
    const p = this.grants.grant(path);
    this.known.delete(p);
    return this.write(p, check.string(text, 'text'), true);
  }

  private async write(path: string, text: string, force: boolean): Promise<SaveResult> {
    const k = this.known.get(path);
    try {
      // the user opened or chose this path: through a symbolic link, the file it points to is saved
      const stamp = await saveTextFile(path, text, {
        eol: k?.eol ?? '\n',
        bom: k?.bom ?? false,
        expected: k?.stamp ?? null,
        force,
        followLinks: true,
      });
      this.known.set(path, { eol: k?.eol ?? '\n', bom: k?.bom ?? false, stamp });
      this.remember(path);
      return { ok: true, name: basename(path), path };
    } catch (e) {
      if (e instanceof FileError && e.code === 'changed-on-disk')
        return { ok: false, reason: 'changed-on-disk', message: e.message };
      return { ok: false, reason: 'error', message: (e as Error).message };
    }
  }

  /** NAME.modules.yaml beside a granted model. */
  async saveModelModules(modelPath: unknown, text: unknown): Promise<SaveResult> {
    const p = companionPath(this.grants.check(modelPath));
    const t = check.string(text, 'text');
    this.grants.grant(p);
    try {
      await saveModulesFile(p, t);
      return { ok: true, name: basename(p), path: p };
    } catch (e) {
      return { ok: false, reason: 'error', message: (e as Error).message };
    }
  }

  /** A folder the user picked for an export, and what it holds under the export's names (plain names only). */
  async exportFolder(folder: string, names: unknown): Promise<{ folder: string; existing: ExistingFile[] }> {
    const list = check.fileNames(names, 'names');
    const dir = this.folders.grant(folder);
    return { folder: dir, existing: await existingFiles(dir, list) };
  }

  /** Write an export into a folder the user picked (each file atomically; links there are replaced). */
  async writeExport(folder: unknown, files: unknown): Promise<{ ok: true } | { ok: false; message: string }> {
    const dir = this.folders.check(folder);
    const list = check.files(files, 'files');
    try {
      await writeFilesInto(dir, list);
      return { ok: true };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  }

  /**
   * An autosave entry from the page, checked: its path is kept only when granted (else null: the text is
   * kept, the path is not), and main adds what it knows of that file on disk.
   */
  private autosaveEntry(entry: unknown): StoredEntry {
    if (typeof entry !== 'object' || entry === null) throw new IpcError('autosave entry must be an object');
    const en = entry as Record<string, unknown>;
    const mods = en.modules as { name?: unknown; text?: unknown } | undefined;
    if (mods !== undefined && (typeof mods !== 'object' || mods === null))
      throw new IpcError('autosave modules must be an object');
    const asked = en.path === null || en.path === undefined ? null : check.string(en.path, 'path', 4096);
    const path = asked !== null && this.grants.has(asked) ? this.grants.check(asked) : null;
    const disk = path ? this.known.get(path) : undefined;
    return {
      id: check.id(en.id, 'id'),
      path,
      title: check.string(en.title, 'title', 256),
      text: check.string(en.text, 'text'),
      savedAt: Date.now(),
      ...(mods
        ? {
            modules: {
              name: check.string(mods.name, 'modules.name', 256),
              text: check.string(mods.text, 'modules.text'),
            },
          }
        : {}),
      ...(disk ? { disk } : {}),
    };
  }

  async writeAutosave(entry: unknown): Promise<void> {
    await this.autosave.write(this.autosaveEntry(entry));
  }

  async discardAutosave(id: unknown): Promise<void> {
    await this.autosave.discard(check.id(id, 'id'));
  }

  /**
   * Restore: the new entry is written before the old one is deleted (a crash in between leaves two copies,
   * never none). When the old entry's file is granted, main takes back what it knew of the file on disk, so a
   * save after the restore still refuses to overwrite a file changed on disk since it was opened. Returns the
   * path the restored document may keep (null when it is not granted: it is then saved with Save As).
   */
  async restoreAutosave(oldId: unknown, entry: unknown): Promise<{ path: string | null }> {
    const old = await this.autosave.read(check.id(oldId, 'old id'));
    if (old?.path && old.disk && this.grants.has(old.path)) {
      const p = this.grants.check(old.path);
      if (!this.known.has(p)) this.known.set(p, old.disk);
    }
    const next = this.autosaveEntry(entry);
    if (next.id === old?.id) throw new IpcError('the restored entry needs a new id');
    await this.autosave.write(next);
    if (old) await this.autosave.discard(old.id);
    return { path: next.path };
  }

  /** Entries left by earlier runs, for the recovery banner: nothing is granted by listing them. */
  async recoverable(): Promise<AutosaveEntry[]> {
    return (await this.autosave.list()).map(({ disk: _disk, ...e }) => e);
  }
}
