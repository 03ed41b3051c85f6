/**
 * The browser host: open through a file input; save through Chromium's save picker where it offers the
 * File System Access API (Save then writes the same file again), a download under a name the user gives
 * otherwise; exports into a folder the user picks or as one zip; recent files (with their text, since a
 * page cannot reopen a path) in localStorage; the close prompt through beforeunload.
 */
import type {
  ExportedFile,
  ExportPlan,
  ExportTarget,
  ExportWritten,
  Host,
  MenuCommand,
  OpenedFile,
  RecentFile,
  SavedFile,
} from './types.ts';
import {
  existingFiles,
  isAbort,
  pickAndSave,
  writeHandle,
  writeIntoDirectory,
  zipOf,
  type FileHandle,
  type FileSystemAccess,
} from './browser-files.ts';

const RECENT_KEY = 'yolo-architect.recent';
/** The user's module library (modules.yaml) in a browser. */
export const USER_MODULES_KEY = 'yolo-architect.modules.yaml';
const MAX_RECENT = 8;
/** Texts larger than this are listed without their content (localStorage is small). */
const MAX_STORED_TEXT = 256 * 1024;

interface StoredRecent extends RecentFile {
  text?: string;
}

function readRecent(storage: Storage | undefined): StoredRecent[] {
  try {
    const raw = storage?.getItem(RECENT_KEY);
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(list)
      ? list.filter((r): r is StoredRecent => typeof r?.name === 'string' && typeof r?.openedAt === 'number')
      : [];
  } catch {
    return [];
  }
}

export function pickFile(accept: string, doc: Document = document): Promise<File | null> {
  return new Promise((resolve) => {
    const input = doc.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.setAttribute('aria-label', 'open file');
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null);
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve(null);
      input.remove();
    });
    doc.body.appendChild(input);
    input.click();
  });
}

export function download(name: string, data: string | Blob, doc: Document = document) {
  const url = URL.createObjectURL(typeof data === 'string' ? new Blob([data], { type: 'application/x-yaml' }) : data);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Where a file saved through the save picker lives: a handle the page may write again. */
const HANDLE_PREFIX = 'browser-file:';

export interface BrowserHostOptions {
  /** Asks the user for a file name (a download's Save as); null when cancelled. */
  askName?(suggested: string): Promise<string | null>;
  /** The File System Access API (window, unless a test gives another); null to use downloads only. */
  fsa?: FileSystemAccess | null;
}

export class BrowserHost implements Host {
  readonly kind = 'browser' as const;
  private readonly menuListeners = new Set<(c: MenuCommand) => void>();
  private readonly handles = new Map<string, FileHandle>();
  private nextHandle = 1;

  constructor(
    private readonly storage: Storage | undefined = globalThis.localStorage,
    private readonly options: BrowserHostOptions = {},
  ) {}

  private get fsa(): FileSystemAccess | null {
    if (this.options.fsa !== undefined) return this.options.fsa;
    return typeof window !== 'undefined' ? (window as unknown as FileSystemAccess) : null;
  }

  async open(): Promise<OpenedFile | null> {
    const file = await pickFile('.yaml,.yml,.pt,text/yaml,application/x-yaml');
    if (!file) return null;
    if (/\.pt$/i.test(file.name)) return { name: file.name, text: '', bytes: new Uint8Array(await file.arrayBuffer()) };
    const opened = { name: file.name, text: await file.text() };
    this.addRecent(opened);
    return opened;
  }

  async openRecent(file: RecentFile): Promise<OpenedFile | null> {
    const hit = readRecent(this.storage).find((r) => r.name === file.name && r.openedAt === file.openedAt);
    if (!hit || hit.text === undefined) return null;
    const opened = { name: hit.name, text: hit.text };
    this.addRecent(opened);
    return opened;
  }

  /** Write back to the file Save as chose (its handle); a document without one is downloaded under its name. */
  async save(file: SavedFile, text: string): Promise<SavedFile | null> {
    const handle = file.path?.startsWith(HANDLE_PREFIX) ? this.handles.get(file.path) : undefined;
    if (handle) {
      try {
        await writeHandle(handle, text);
        this.addRecent({ name: file.name, text });
        return file;
      } catch (e) {
        // permission withdrawn or the file gone: ask where to save instead
        if (isAbort(e)) return null;
      }
      return this.saveAs(file.name, text);
    }
    if (this.fsa?.showSaveFilePicker) return this.saveAs(file.name, text);
    download(file.name, text);
    this.addRecent({ name: file.name, text });
    return { name: file.name };
  }

  /** Ask for a name: Chromium's save picker where offered (Save writes there again), else our own dialog and a download. */
  async saveAs(suggestedName: string, text: string): Promise<SavedFile | null> {
    const fsa = this.fsa;
    if (fsa?.showSaveFilePicker) {
      const handle = await pickAndSave(fsa, suggestedName, text);
      if (!handle) return null;
      const path = `${HANDLE_PREFIX}${this.nextHandle++}`;
      this.handles.set(path, handle);
      this.addRecent({ name: handle.name, text });
      return { name: handle.name, path };
    }
    const name = this.options.askName ? await this.options.askName(suggestedName) : suggestedName;
    if (!name) return null;
    download(name, text);
    this.addRecent({ name, text });
    return { name };
  }

  async recentFiles(): Promise<RecentFile[]> {
    return readRecent(this.storage).map(({ name, openedAt }) => ({ name, openedAt }));
  }

  addRecent(file: OpenedFile) {
    const entry: StoredRecent = {
      name: file.name,
      openedAt: Date.now(),
      ...(file.text.length <= MAX_STORED_TEXT ? { text: file.text } : {}),
    };
    const list = [entry, ...readRecent(this.storage).filter((r) => r.name !== file.name)].slice(0, MAX_RECENT);
    try {
      this.storage?.setItem(RECENT_KEY, JSON.stringify(list));
    } catch {
      // storage full or disabled: recent files are a convenience
    }
  }

  async exportFile(suggestedName: string, data: Blob): Promise<boolean> {
    download(suggestedName, data);
    return true;
  }

  async loadUserModules(): Promise<{ text: string; location: string }> {
    let text = '';
    try {
      text = this.storage?.getItem(USER_MODULES_KEY) ?? '';
    } catch {
      // storage disabled: start with an empty library
    }
    return { text, location: "this browser's storage" };
  }

  async saveUserModules(text: string): Promise<boolean> {
    try {
      if (!this.storage) throw new Error('no storage');
      this.storage.setItem(USER_MODULES_KEY, text);
      return true;
    } catch (e) {
      globalThis.alert?.(`Could not keep your modules in this browser: ${(e as Error).message}`);
      return false;
    }
  }

  /** A page cannot write a folder: every file is a download (the browser puts them in its downloads folder). */
  async saveFiles(_suggestedFolder: string, files: ExportedFile[]): Promise<string | null> {
    for (const f of files) download(f.path, f.text);
    return 'downloads';
  }

  exportTargets(): ExportTarget[] {
    return this.fsa?.showDirectoryPicker ? ['folder', 'zip'] : ['zip'];
  }

  /** Into a folder the user picks (`plan` decides what is written there, asking first), or one zip download. */
  async writeExport(
    target: ExportTarget,
    folder: string,
    files: ExportedFile[],
    plan: ExportPlan,
  ): Promise<ExportWritten | null> {
    const names = files.map((f) => f.path);
    if (target === 'zip') {
      const file = `${folder}.zip`;
      download(file, new Blob([zipOf(folder, files) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
      return { target, file, folder, files: names };
    }
    let dir;
    try {
      dir = await this.fsa!.showDirectoryPicker!({ id: 'yolov5-export', mode: 'readwrite' });
    } catch (e) {
      if (isAbort(e)) return null;
      throw e;
    }
    // what is there decides what is written (and whether the user is asked first)
    const existing = await existingFiles(dir, names);
    const write = await plan(existing, dir.name);
    if (!write) return null;
    await writeIntoDirectory(dir, write);
    const written = write.map((f) => f.path);
    const replaced = existing.filter((e) => written.includes(e.path)).map((e) => e.path);
    return { target, folder: dir.name, files: written, replaced };
  }

  onMenu(listener: (command: MenuCommand) => void): () => void {
    this.menuListeners.add(listener);
    return () => this.menuListeners.delete(listener);
  }

  /** The browser has no application menu; the app's own toolbar and shortcuts call this. */
  emitMenu(command: MenuCommand) {
    for (const l of this.menuListeners) l(command);
  }

  onCloseRequest(hasUnsavedChanges: () => boolean, _confirmClose?: () => Promise<boolean>): () => void {
    const handler = (e: BeforeUnloadEvent) => {
      if (hasUnsavedChanges()) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', handler);
    return () => window.removeEventListener('beforeunload', handler);
  }
}
