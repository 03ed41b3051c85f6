/**
 * The one small API the preload exposes to the renderer (window.yoloArchitect), and the IPC channel names.
 * Shared by main, preload and the renderer's Electron host; types only.
 */
import type { AutosaveEntry } from './services/autosave.ts';
import type { MenuCommand } from './services/menu.ts';

export interface DesktopFile {
  name: string;
  path: string;
  text: string;
}

export type SaveResult =
  | { ok: true; name: string; path: string }
  | { ok: false; reason: 'cancelled' | 'changed-on-disk' | 'error'; message?: string };

export interface DesktopApi {
  /** Open dialog; null when cancelled. */
  open(): Promise<DesktopFile | null>;
  /** Reopen a path the user opened before (recent files); null when it is gone. */
  openRecent(path: string): Promise<DesktopFile | null>;
  /** Save to a path the user opened or chose; `force` after confirming an overwrite of a file changed on disk. */
  save(path: string, text: string, force?: boolean): Promise<SaveResult>;
  /** Save dialog. */
  saveAs(suggestedName: string, text: string): Promise<SaveResult>;
  recentFiles(): Promise<{ name: string; path: string; openedAt: number }[]>;
  /** Tell main whether there are unsaved changes (it prompts on close and quit). */
  setDirty(dirty: boolean): void;
  /** Unsaved edits for crash recovery. */
  autosave(entry: AutosaveEntry): Promise<void>;
  discardAutosave(id: string): Promise<void>;
  recoverable(): Promise<AutosaveEntry[]>;
  onMenu(listener: (command: MenuCommand | { newFromTemplate: string }) => void): () => void;
  /** A file to open: from the command line, a second launch, the OS file association or Open Recent. */
  onOpenFile(listener: (file: DesktopFile) => void): () => void;
  /** The open file changed on disk outside the app. */
  onFileChanged(listener: (path: string) => void): () => void;
  openExternal(url: string): void;
  /** The templates the renderer offers, for File > New from Template. */
  setTemplates(templates: { id: string; label: string }[]): void;
}

export const CHANNELS = {
  open: 'ya:open',
  openRecent: 'ya:open-recent',
  save: 'ya:save',
  saveAs: 'ya:save-as',
  recentFiles: 'ya:recent-files',
  setDirty: 'ya:set-dirty',
  autosave: 'ya:autosave',
  discardAutosave: 'ya:discard-autosave',
  recoverable: 'ya:recoverable',
  openExternal: 'ya:open-external',
  setTemplates: 'ya:set-templates',
  menu: 'ya:menu',
  openFile: 'ya:open-file',
  fileChanged: 'ya:file-changed',
} as const;
