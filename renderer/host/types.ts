/**
 * The renderer's only way to files, dialogs, menus and the window. The browser host (web build, tests)
 * and the Electron host (over the preload API) implement it; the app never touches the platform itself.
 */

/** A document the user opened: its text and where it came from. */
export interface OpenedFile {
  /** File name shown in the title and tabs: `yolov5s.yaml`. */
  name: string;
  /** Platform handle to save back to (a path on desktop); absent when the host cannot write back. */
  path?: string;
  text: string;
  /** The file's bytes when it is binary (a .pt checkpoint); `text` is then empty. */
  bytes?: Uint8Array;
  /** Desktop: NAME.modules.yaml found beside NAME.yaml (the model's own module library). */
  modules?: { name: string; text: string };
}

/** A file of a multi-file export (Export for YOLOv5): a plain name and its text. */
export interface ExportedFile {
  path: string;
  text: string;
}

/** A file already in the folder an export writes into: its text, null when it cannot be read as text. */
export type { ExistingFile } from '../../src/desktop/contract.ts';
import type { ExistingFile } from '../../src/desktop/contract.ts';

/**
 * What an export writes once its folder is known: given the files already there under the export's names,
 * the files to write (as they are, fewer, or merged with what is there), or null to write nothing. This is
 * where the user confirms replacing files whose content differs. `folder` is the folder picked, as the host
 * knows it (its path on the desktop, its name in a browser).
 */
export type ExportPlan = (existing: ExistingFile[], folder: string) => Promise<ExportedFile[] | null>;

/** Where Export for YOLOv5 can write: into a folder the user picks, or one zip file. */
export type ExportTarget = 'folder' | 'zip';

/** What an export wrote: the folder (a path on desktop, the folder's name in a browser) or the zip file. */
export type ExportWritten =
  | { target: 'folder'; folder: string; files: string[]; replaced?: string[] }
  | { target: 'zip'; file: string; folder: string; files: string[] };

/** Where a save went. */
export interface SavedFile {
  name: string;
  path?: string;
}

export interface RecentFile {
  name: string;
  path?: string;
  /** ms since the epoch */
  openedAt: number;
}

/** Commands an application menu (or its keys) sends to the renderer: the desktop contract's list. */
export type { MenuCommand } from '../../src/desktop/contract.ts';
import type { MenuCommand } from '../../src/desktop/contract.ts';

export interface Host {
  readonly kind: 'browser' | 'electron';
  /** Ask the user for a model (or dataset) YAML; null when cancelled. */
  open(): Promise<OpenedFile | null>;
  /** Reopen a recent file; null when it is gone. */
  openRecent(file: RecentFile): Promise<OpenedFile | null>;
  /** Write back to where the document came from (asks like saveAs when it has no path). */
  save(file: SavedFile, text: string): Promise<SavedFile | null>;
  /** Ask where to write; null when cancelled. */
  saveAs(suggestedName: string, text: string): Promise<SavedFile | null>;
  recentFiles(): Promise<RecentFile[]>;
  /** Remember a file as opened (or saved) now. */
  addRecent(file: OpenedFile): void;
  /** Menu commands; returns an unsubscribe function. */
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /**
   * Closing the window with unsaved changes asks the user. Desktop: main asks the page, which calls
   * `confirmClose` (the app's Save / Don't save / Cancel; true lets the window close or the app quit).
   * Browser: a page cannot ask in its own words while unloading, so `hasUnsavedChanges` raises the
   * browser's beforeunload prompt. Returns an unsubscribe function.
   */
  onCloseRequest(hasUnsavedChanges: () => boolean, confirmClose: () => Promise<boolean>): () => void;
  /** Desktop: whether the document has unsaved changes, told on every change (main asks before closing). */
  setDirty?(dirty: boolean): void;
  /** Write an exported file (SVG, PNG); optional: without it the app downloads the file as a browser does. */
  exportFile?(suggestedName: string, data: Blob): Promise<boolean>;
  /** The user's module library (modules.yaml): its text ('' when there is none yet) and where it lives, in words. */
  loadUserModules(): Promise<{ text: string; location: string }>;
  /** Write the user's module library; false when it could not be written (the host has said why). */
  saveUserModules(text: string): Promise<boolean>;
  /** Write the model's own library, NAME.modules.yaml beside the model at `modelPath` (desktop). */
  saveModelModules?(modelPath: string, text: string): Promise<boolean>;
  /** Write files into a folder the user picks (desktop) or as downloads (browser); the folder (or 'downloads'), null when cancelled. */
  saveFiles(suggestedFolder: string, files: ExportedFile[]): Promise<string | null>;
  /** The export targets this host offers (the first is the default). */
  exportTargets(): ExportTarget[];
  /**
   * Write an export (plain file names) into a folder the user picks or one zip named after `folder`; null
   * when cancelled. Into a folder, `plan` decides what is written once the files already there are known.
   */
  writeExport(
    target: ExportTarget,
    folder: string,
    files: ExportedFile[],
    plan: ExportPlan,
  ): Promise<ExportWritten | null>;
  /** Desktop: files to open from the command line, a second launch, the OS file association or the menu. */
  onOpenFile?(listener: (file: OpenedFile) => void): () => void;
  /** Desktop: the open file changed on disk outside the app. */
  onFileChanged?(listener: (path: string) => void): () => void;
  /** Desktop: File > New from Template. */
  onNewFromTemplate?(listener: (templateId: string) => void): () => void;
  /** Desktop: main's dialog for an image to run (the menu's Choose Image is no user gesture for the page's own). */
  pickImage?(): Promise<{ name: string; bytes: Uint8Array } | null>;
  /** Desktop: the templates File > New from Template lists. */
  setTemplates?(templates: { id: string; label: string }[]): void;
}
