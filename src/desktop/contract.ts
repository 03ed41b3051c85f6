/**
 * The desktop contract: what the Electron preload gives the page (window.yoloArchitect) and the menu commands
 * main sends it. Neutral ground: electron/ implements it and renderer/ uses it, and this file imports nothing
 * (lint: the layer rules of eslint.config.js).
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

/**
 * Every command the desktop menu sends and the renderer carries out, once: the menu template (electron/),
 * the renderer's Electron host (which passes on exactly these), its key map and its handlers (one per command,
 * a typed record) all read this list.
 */
export const MENU_COMMANDS = [
  'new',
  'open',
  'save',
  'saveAs',
  'exportYolov5',
  'compareSaved',
  'newModule',
  'close',
  'undo',
  'redo',
  'delete',
  'selectAll',
  'find',
  'fitView',
  'zoomIn',
  'zoomOut',
  'relayout',
  'togglePalette',
  'toggleYaml',
  'toggleInspector',
  'toggleProblems',
  'toggleRun',
  'focusCanvas',
  'toggleMinimap',
  'run',
  'chooseImage',
  'shortcuts',
  'about',
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const isMenuCommand = (c: unknown): c is MenuCommand =>
  typeof c === 'string' && (MENU_COMMANDS as readonly string[]).includes(c);

/**
 * The keys of the commands that have them, once: the renderer's key map dispatches them and its shortcut sheet
 * lists them, the desktop menu shows them. `Mod` is Ctrl (Cmd on macOS); a single key is not taken while the
 * user types. The first key is the one shown (but see SHOWN_ELSEWHERE).
 */
export const COMMAND_KEYS: Partial<Record<MenuCommand, readonly string[]>> = {
  new: ['Mod+N'],
  open: ['Mod+O'],
  save: ['Mod+S'],
  saveAs: ['Mod+Shift+S'],
  exportYolov5: ['Mod+E'],
  compareSaved: ['Mod+Shift+D'],
  newModule: ['Mod+Shift+N'],
  close: ['Mod+W'],
  undo: ['Mod+Z'],
  redo: ['Mod+Shift+Z', 'Mod+Y'],
  selectAll: ['Mod+A'],
  find: ['Mod+F'],
  fitView: ['Mod+0'],
  zoomIn: ['Mod+='],
  zoomOut: ['Mod+-'],
  togglePalette: ['1'],
  toggleYaml: ['2'],
  toggleInspector: ['3'],
  toggleProblems: ['4'],
  toggleRun: ['5'],
  focusCanvas: ['0'],
  toggleMinimap: ['M'],
  run: ['F5'],
  chooseImage: ['Mod+I'],
  shortcuts: ['?', 'F1'],
};

/** The key Windows and Linux show for a command whose convention there differs from macOS's (Redo: Ctrl+Y). */
export const SHOWN_ELSEWHERE: Partial<Record<MenuCommand, string>> = { redo: 'Mod+Y' };

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
  onMenu(listener: (command: MenuCommand | { newFromTemplate: string }) => void): () => void;
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
  /**
   * Open dialog for an image to run (PNG or JPEG); null when cancelled or unreadable (main says why). Main's
   * dialog, because the page's own file chooser opens only on a user gesture, which a menu command is not.
   */
  pickImage(): Promise<{ name: string; bytes: Uint8Array } | null>;
  /** The templates the renderer offers, for File > New from Template. */
  setTemplates(templates: { id: string; label: string }[]): void;
}
