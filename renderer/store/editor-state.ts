/** The editor store's state and actions, each field documented (the store itself: editor.ts). */
import type { Message, ModelAnalysis, ModelSource, Registry } from '../../src/core/index.ts';
import type { Command, CommandResult, EditDoc, IndexMap } from '../../src/core/edit/index.ts';
import type { LayoutMode } from '../canvas/arrange.ts';
import type { XY } from './positions.ts';

export interface FileRef {
  name: string;
  path?: string;
}

export type { XY };
/** Who changed the text or the selection (so a pane does not echo its own change back). */
export type Origin = 'yaml' | 'canvas' | 'problems' | 'inspector' | 'palette' | 'history' | 'load' | 'find';

export interface EditorState {
  /** Start screen or editor. */
  screen: 'start' | 'editor';
  file: FileRef;
  text: string;
  /** Counts opened documents (the clipboard knows whether rows are pasted back into their own document). */
  docSerial: number;
  /** Text at the last open or save (the "unsaved" mark and the change since save compare to it). */
  savedText: string;
  savedParams: number | null;
  imgsz: number;
  /** An Ultralytics model's scale chosen with the scale switcher (null: the one its file name gives). */
  scale: string | null;
  source: ModelSource;
  analysis: ModelAnalysis;
  /** Selected layer index (the one the inspector and the YAML pane follow). */
  selected: number | null;
  /** Every selected layer (multi-select on the canvas), the primary one included. */
  multi: number[];
  setMulti(layers: number[]): void;
  selectionOrigin: Origin;
  /** A request to bring a layer (and a text offset) into view; seq changes on every request. */
  reveal: { layer: number | null; offset: number | null; seq: number };
  /** Canvas positions by layer index (manual drags and layout results). */
  positions: Record<number, XY>;
  /** Layers the user placed by hand: they keep their place across edits, saves and reopening (until tidy). */
  pinned: Record<number, true>;
  /** The canvas's automatic layout: by scale (a column per stride) or compact (layered, ELK). */
  layoutMode: LayoutMode;
  /** Bumped to ask the canvas for a fresh compact (ELK) layout. */
  layoutSeq: number;
  /**
   * The text does not parse (a YAML syntax error): the canvas, settings and totals keep showing the last
   * readable document, marked stale, with its node positions, until the text parses again.
   */
  stale: boolean;
  lastGood: { doc: EditDoc; source: ModelSource; analysis: ModelAnalysis } | null;
  /** Layer whose inside is shown (look inside), or null for the model graph. */
  inside: number | null;
  canUndo: boolean;
  canRedo: boolean;
  /** Last change's origin, so the YAML pane knows not to re-apply its own typing. */
  textOrigin: Origin;
  /** The document as the editing engine holds it (text + parse). */
  doc: EditDoc;
  /** Label of the last edit, or why the last edit could not apply. */
  message: { message: Message; error: boolean; seq: number } | null;
  /** Class names from the model or an opened dataset YAML (for the run panel's labels). */
  classNames: string[] | null;
  setClassNames(names: string[] | null): void;
  /** Show a message in the toast (an error stays longer). */
  notify(message: Message, error?: boolean): void;
  /**
   * Where each layer of the lineage base (the document as opened, or when weights were last chosen) is now:
   * the edits' mappings composed (null: deleted). The run panel's transfer load moves weights with it.
   */
  lineage: IndexMap;
  /** Start a new lineage at the current document (weights chosen now fit it as it is). */
  resetLineage(): void;
  /** The modules a config can use: built-ins plus the module libraries (renderer/modules/library.ts). */
  registry: Registry;
  /** New libraries: re-analyse the document with them (no undo step: the text did not change). */
  setRegistry(registry: Registry): void;

  openDocument(file: FileRef & { text: string }, opts?: { imgsz?: number }): void;
  /**
   * Text typed in the YAML pane, as changes to the current text: core's editText command (its index mapping
   * carries selection, positions and lineage), one undo step per burst of typing.
   */
  editText(changes: { from: number; to: number; insert: string }[], origin: Origin): void;
  /** Replace the whole text (as typed: one editText of the smallest change, in the burst). */
  setText(text: string, origin: Origin): void;
  /** Perform an editing command (src/core/edit) on the document: one undo step. */
  perform(cmd: Command, origin: Origin): CommandResult;
  undo(): void;
  redo(): void;
  select(layer: number | null, origin: Origin): void;
  revealLayer(layer: number | null, offset?: number | null): void;
  markSaved(file: FileRef): void;
  setImgsz(imgsz: number): void;
  /** Choose an Ultralytics model's scale (null: back to the file name's). */
  setScale(scale: string | null): void;
  /** Move nodes; `pin`: placed by hand (kept across edits and reopening). */
  setPositions(positions: Record<number, XY>, pin?: boolean): void;
  /** Tidy: a fresh automatic layout, hand placement forgotten. */
  relayout(): void;
  setLayoutMode(mode: LayoutMode): void;
  lookInside(layer: number | null): void;
  closeDocument(): void;
}
