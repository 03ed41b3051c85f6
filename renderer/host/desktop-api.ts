/**
 * The contract between the renderer and the Electron preload (window.yoloArchitect). The renderer owns it;
 * electron/ implements it. Types only.
 */

export interface DesktopFile {
  name: string;
  path: string;
  text: string;
  /** A .pt checkpoint's bytes (`text` is then empty). */
  bytes?: Uint8Array;
  /** NAME.modules.yaml beside NAME.yaml, when there is one. */
  modules?: { name: string; text: string };
}

export type SaveResult =
  | { ok: true; name: string; path: string }
  | { ok: false; reason: 'cancelled' | 'changed-on-disk' | 'error'; message?: string };

/** A file already in a folder an export writes into: its name and text (null when it cannot be read as text). */
export interface ExistingFile {
  path: string;
  text: string | null;
}

/** Unsaved edits kept for crash recovery. */
export interface AutosaveEntry {
  id: string;
  path: string | null;
  title: string;
  text: string;
  savedAt: number;
  /** The model's own module library (NAME.modules.yaml) as it was, when it had one. */
  modules?: { name: string; text: string };
}

export type CloseAnswer = 'asking' | 'proceed' | 'cancel';

export type DesktopMenuCommand =
  | 'new'
  | 'open'
  | 'save'
  | 'saveAs'
  | 'close'
  | 'undo'
  | 'redo'
  | 'delete'
  | 'selectAll'
  | 'find'
  | 'fitView'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglePalette'
  | 'toggleYaml'
  | 'toggleInspector'
  | 'toggleProblems'
  | 'toggleRun'
  | 'focusCanvas'
  | 'toggleMinimap'
  | 'shortcuts'
  | 'run'
  | 'chooseImage'
  | 'about'
  | 'compareSaved'
  | 'newModule'
  | 'exportYolov5';

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
  /** Keep unsaved work for crash recovery; the path is kept only when the user opened or chose it. */
  autosave(entry: AutosaveEntry): Promise<void>;
  discardAutosave(id: string): Promise<void>;
  /** Entries left by earlier runs (listing them grants no path). */
  recoverable(): Promise<AutosaveEntry[]>;
  /**
   * A recovered entry restored as `entry` (a new id): written before `oldId` is deleted. Returns the path the
   * document keeps (null when that file is not one the user opened or chose in this or an earlier run).
   */
  restoreAutosave(oldId: string, entry: AutosaveEntry): Promise<{ path: string | null }>;
  /** Main wants to close the window (or quit) while the document has unsaved changes: the page asks the user. */
  onCloseRequest(listener: () => void): () => void;
  /** The page's answer: 'asking' at once (else main asks itself), then 'proceed' (saved or discarded) or 'cancel'. */
  answerClose(answer: CloseAnswer): void;
  onMenu(listener: (command: DesktopMenuCommand | { newFromTemplate: string }) => void): () => void;
  /** A file to open: from the command line, a second launch, the OS file association or Open Recent. */
  onOpenFile(listener: (file: DesktopFile) => void): () => void;
  /** The open file changed on disk outside the app. */
  onFileChanged(listener: (path: string) => void): () => void;
  openExternal(url: string): void;
  /** The user's modules.yaml (the CLI's: $XDG_CONFIG_HOME/yolo-architect/modules.yaml): text ('' when absent) and path. */
  loadUserModules(): Promise<{ text: string; path: string }>;
  /** Write the user's modules.yaml atomically. */
  saveUserModules(text: string): Promise<SaveResult>;
  /** Write NAME.modules.yaml beside the model at modelPath (a path the user opened or saved). */
  saveModelModules(modelPath: string, text: string): Promise<SaveResult>;
  /**
   * Folder dialog for an export (plain file names, no folders); null when cancelled. The folder is the one
   * writeExportFiles may write into, and `existing` is what it already holds under those names (text null:
   * not a text file that can be read: a link, a folder, binary, or over 16 MiB).
   */
  pickExportFolder(
    suggestedFolder: string,
    names: string[],
  ): Promise<{ folder: string; existing: ExistingFile[] } | null>;
  /** Write each file atomically into a folder picked with pickExportFolder (a link there is replaced, not followed). */
  writeExportFiles(
    folder: string,
    files: { path: string; text: string }[],
  ): Promise<{ ok: true } | { ok: false; message: string }>;
  /** The templates the renderer offers, for File > New from Template. */
  setTemplates(templates: { id: string; label: string }[]): void;
}
