/**
 * The browser host: open through a file input, save through a download, recent files (with their text,
 * since a page cannot reopen a path) in localStorage, the close prompt through beforeunload.
 */
import type { ExportedFile, Host, MenuCommand, OpenedFile, RecentFile, SavedFile } from './types.ts';

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

export class BrowserHost implements Host {
  readonly kind = 'browser' as const;
  private readonly menuListeners = new Set<(c: MenuCommand) => void>();

  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {}

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

  async save(file: SavedFile, text: string): Promise<SavedFile | null> {
    return this.saveAs(file.name, text);
  }

  async saveAs(suggestedName: string, text: string): Promise<SavedFile | null> {
    download(suggestedName, text);
    this.addRecent({ name: suggestedName, text });
    return { name: suggestedName };
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
