/** The Electron host: the Host interface over the preload's DesktopApi (window.yoloArchitect). */
import { isMenuCommand, type DesktopApi } from '../../src/desktop/contract.ts';
import { confirmOverwrites } from '../overwrite/plan.ts';
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

export class ElectronHost implements Host {
  readonly kind = 'electron' as const;
  constructor(private readonly api: DesktopApi) {}

  open(): Promise<OpenedFile | null> {
    return this.api.open();
  }
  async openRecent(file: RecentFile): Promise<OpenedFile | null> {
    return file.path ? this.api.openRecent(file.path) : null;
  }
  async save(file: SavedFile, text: string): Promise<SavedFile | null> {
    if (!file.path) return this.saveAs(file.name, text);
    let r = await this.api.save(file.path, text);
    if (!r.ok && r.reason === 'changed-on-disk') {
      if (
        !globalThis.confirm?.(`${file.name} was changed on disk since you opened it. Overwrite it with your version?`)
      )
        return null;
      r = await this.api.save(file.path, text, true);
    }
    if (!r.ok) {
      if (r.reason !== 'cancelled') globalThis.alert?.(`Could not save ${file.name}: ${r.message ?? r.reason}`);
      return null;
    }
    this.api.setDirty(false);
    return { name: r.name, path: r.path };
  }
  async saveAs(suggestedName: string, text: string): Promise<SavedFile | null> {
    const r = await this.api.saveAs(suggestedName, text);
    if (!r.ok) {
      if (r.reason !== 'cancelled') globalThis.alert?.(`Could not save: ${r.message ?? r.reason}`);
      return null;
    }
    this.api.setDirty(false);
    return { name: r.name, path: r.path };
  }
  async loadUserModules(): Promise<{ text: string; location: string }> {
    const r = await this.api.loadUserModules();
    return { text: r.text, location: r.path };
  }
  async saveUserModules(text: string): Promise<boolean> {
    const r = await this.api.saveUserModules(text);
    if (!r.ok && r.reason !== 'cancelled') globalThis.alert?.(`Could not save your modules: ${r.message ?? r.reason}`);
    return r.ok;
  }
  async saveModelModules(modelPath: string, text: string): Promise<boolean> {
    const r = await this.api.saveModelModules(modelPath, text);
    if (!r.ok && r.reason !== 'cancelled')
      globalThis.alert?.(`Could not save the model's modules: ${r.message ?? r.reason}`);
    return r.ok;
  }
  exportTargets(): ExportTarget[] {
    return ['folder'];
  }
  /**
   * Desktop exports into a folder: main's folder dialog says what is already there, `plan` decides what to
   * write (and asks before replacing), main writes it. A failed write throws with main's message.
   */
  async writeExport(
    _target: ExportTarget,
    folder: string,
    files: ExportedFile[],
    plan: ExportPlan,
  ): Promise<ExportWritten | null> {
    const picked = await this.api.pickExportFolder(
      folder,
      files.map((f) => f.path),
    );
    if (!picked) return null;
    const write = await plan(picked.existing, picked.folder);
    if (!write) return null;
    const names = write.map((f) => f.path);
    if (write.length) {
      const r = await this.api.writeExportFiles(picked.folder, write);
      if (!r.ok) throw new Error(r.message);
    }
    const replaced = picked.existing.filter((e) => names.includes(e.path)).map((e) => e.path);
    return { target: 'folder', folder: picked.folder, files: names, ...(replaced.length ? { replaced } : {}) };
  }
  async saveFiles(suggestedFolder: string, files: ExportedFile[]): Promise<string | null> {
    try {
      return (await this.writeExport('folder', suggestedFolder, files, confirmOverwrites(files)))?.folder ?? null;
    } catch (e) {
      globalThis.alert?.(`Could not export: ${(e as Error).message}`);
      return null;
    }
  }
  recentFiles(): Promise<RecentFile[]> {
    return this.api.recentFiles();
  }
  addRecent(_file: OpenedFile): void {
    // main records a file as recent when it opens or saves it
  }
  onMenu(listener: (command: MenuCommand) => void): () => void {
    return this.api.onMenu((c) => {
      if (isMenuCommand(c)) listener(c);
    });
  }
  onOpenFile(listener: (file: OpenedFile) => void): () => void {
    return this.api.onOpenFile((f) =>
      listener({
        name: f.name,
        path: f.path,
        text: f.text,
        ...(f.bytes ? { bytes: f.bytes } : {}),
        ...(f.modules ? { modules: f.modules } : {}),
      }),
    );
  }
  onFileChanged(listener: (path: string) => void): () => void {
    return this.api.onFileChanged(listener);
  }
  onNewFromTemplate(listener: (templateId: string) => void): () => void {
    return this.api.onMenu((c) => {
      if (typeof c === 'object' && typeof c.newFromTemplate === 'string') listener(c.newFromTemplate);
    });
  }
  pickImage(): Promise<{ name: string; bytes: Uint8Array } | null> {
    return this.api.pickImage();
  }
  setTemplates(templates: { id: string; label: string }[]) {
    this.api.setTemplates(templates);
  }
  setDirty(dirty: boolean) {
    this.api.setDirty(dirty);
  }
  onCloseRequest(hasUnsavedChanges: () => boolean, confirmClose: () => Promise<boolean>): () => void {
    let asking = false;
    return this.api.onCloseRequest(() => {
      if (asking) return this.api.answerClose('asking');
      if (!hasUnsavedChanges()) return this.api.answerClose('proceed');
      // say at once that the page is asking (else main asks natively, as for a page that hangs)
      this.api.answerClose('asking');
      asking = true;
      void confirmClose()
        .catch(() => false)
        .then((ok) => {
          asking = false;
          this.api.answerClose(ok ? 'proceed' : 'cancel');
        });
    });
  }
}
