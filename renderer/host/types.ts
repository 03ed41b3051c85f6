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
}

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

/** Commands an application menu (or its accelerators) sends to the renderer. */
export type MenuCommand = 'new' | 'open' | 'save' | 'saveAs' | 'undo' | 'redo' | 'find' | 'fitView' | 'relayout';

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
   * Closing the window asks `hasUnsavedChanges`; when true the host asks the user to confirm
   * (desktop: a dialog; browser: the beforeunload prompt). Returns an unsubscribe function.
   */
  onCloseRequest(hasUnsavedChanges: () => boolean): () => void;
  /** Write an exported file (SVG, PNG); optional: without it the app downloads the file as a browser does. */
  exportFile?(suggestedName: string, data: Blob): Promise<boolean>;
  /** Desktop: files to open from the command line, a second launch, the OS file association or the menu. */
  onOpenFile?(listener: (file: OpenedFile) => void): () => void;
  /** Desktop: the open file changed on disk outside the app. */
  onFileChanged?(listener: (path: string) => void): () => void;
  /** Desktop: File > New from Template. */
  onNewFromTemplate?(listener: (templateId: string) => void): () => void;
  /** Desktop: the templates File > New from Template lists. */
  setTemplates?(templates: { id: string; label: string }[]): void;
}
