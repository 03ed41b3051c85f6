/**
 * The seam between the analysis and a model family's parse_model. The analysis (propagate.ts) reads the
 * rows, checks arguments against each module's signature, builds every layer and sums the totals, the
 * same for every family; a family says what differs: the header it reads, the names a row's string
 * arguments see, its depth gain, how a row's arguments and output channels are resolved by its module's
 * rule, and what its heads output. YOLOv5 v7.0 is one family (yolov5.ts); another plugs in beside it.
 */
import type { HeaderKey, ModelSource, Range } from '../document.ts';
import type { Severity } from '../diagnostics.ts';
import type { ActSpec, ModuleDef, Shape } from '../graph.ts';
import type { Message } from '../messages/index.ts';
import type { Py } from '../py.ts';

/** Says a problem: a diagnostic at `range` (the whole file when absent), of `layer` when it is one's. */
export type Report = (code: string, severity: Severity, message: Message, range?: Range, layer?: number) => void;

/** What a family's header (the keys above the rows) sets for every row. */
export interface ModelHeader {
  /** Number of classes (null: missing or unreadable). */
  nc: number | null;
  depthMultiple: number;
  widthMultiple: number;
  channelMultiple: number;
  inputChannels: number;
  /** Anchors as written (null when unreadable), and anchors per level. */
  anchors: Py;
  na: number | null;
  /** Outputs per anchor of the head (parse_model's `no`). */
  no: number | null;
  defaultAct: ActSpec;
}

/** Where a string argument stands, for a family that resolves it (parse_model's locals at that point). */
export interface ArgContext {
  header: ModelHeader;
  i: number;
  /** Repeats as written (before the depth gain). */
  n: number;
  from: number | number[] | null;
  /** Index of the argument in the row. */
  j: number;
  /** The c2 of the row before. */
  lastC2: number | null;
}

/** One row as the analysis read it (module, inputs, repeats, evaluated arguments), for a family's rule. */
export interface RowContext {
  i: number;
  def: ModuleDef;
  /** Arguments as evaluated (a string parse_model cannot evaluate stays a string). */
  args: Py[];
  /** `from` as written, and as a list. */
  from: number | number[];
  fromList: number[];
  /** Absolute indices of the inputs (-1: the image). */
  inputs: number[];
  /** Repeats after the depth gain. */
  n: number;
  header: ModelHeader;
  /** parse_model's ch[j] (negative j from the end; NaN when unknown). */
  channels(j: number): number;
  /** The c2 of the row before: parse_model's variable carries over to rows that do not set it. */
  lastC2: number | null;
  /** Says an error on this row. */
  error(code: string, message: Message, range: Range): void;
  /** Where the row's parts are written. */
  ranges: { row: Range; from: Range; args: Range; argItems: Range[] };
}

/** A row resolved: the arguments the module is constructed with, or why it could not be. */
export type Resolution =
  | {
      ok: true;
      /** Arguments as parse_model passes them to the module. */
      args: Py[];
      /** Output channels parse_model records (ch[i]). */
      c2: number | null;
      /** Repeats the layer is built with (1 when the rule moved n into the arguments). */
      buildRepeats: number;
      /** Index in the YAML's arguments of resolved argument k (undefined: added by parse_model). */
      yamlIndex(k: number): number | undefined;
      /** parse_model added the input channels (said when the row gives too many arguments). */
      addsInputChannels: boolean;
      /** What the framework sets before constructing the layer (Ultralytics' Detect.legacy). */
      attrs?: Readonly<Record<string, unknown>>;
      /** Inputs beyond the layers `from` names (the world models' text embeddings), appended when building. */
      sideInputs?: Shape[];
      /** What the module is built with, when it differs from `args` (CBFuse's channel groups). */
      buildArgs?: Py[];
    }
  | { ok: false; c2: number | null };

/** What a head layer outputs, per level [na, h, w, no], and a segmentation head's prototypes [nm, h, w]. */
export interface HeadOutputs {
  levels: number[][];
  proto?: Shape;
  strides?: number[];
}

export type FamilyId = 'yolov5' | 'ultralytics';

export interface ModelFamily {
  readonly id: FamilyId;
  /** As messages and the app name it: 'YOLOv5', 'Ultralytics'. */
  readonly name: string;
  /** The release whose parse_model the figures reproduce. */
  readonly release: string;
  /** The modules its configs can name, built in (module libraries are added on top). */
  modules(): readonly ModuleDef[];
  /** The top-level keys its parse_model and model classes read. */
  readonly headerKeys: readonly HeaderKey[];
  /**
   * Reads and checks the header (`fatal`: the file could not be read, so missing keys are not said). Called once
   * per analysis: a family may keep parse_model's running variables (flags set by earlier rows) in what it returns.
   */
  readHeader(src: ModelSource, report: Report, fatal: boolean, options?: { scale?: string }): ModelHeader;
  /** The names a row's string arguments are evaluated with (parse_model's locals). */
  argScope(header: ModelHeader, row: { i: number; n: number; from: number | number[] | null }): Record<string, Py>;
  /**
   * A string argument as this family resolves it, when it does not eval() it with argScope (Ultralytics looks a
   * name up among parse_model's locals, else reads a literal): its value, or why the framework fails on it.
   */
  stringArg?(text: string, context: ArgContext): { value: Py; warning?: Message } | { error: Message };
  /** Why the module a row names is not found under the name written: an error, or a warning (undefined: fine). */
  moduleProblem(written: string, def: ModuleDef): { severity: 'error' | 'warning'; message: Message } | undefined;
  /** The message for a module nobody defined (hint: the closest known name; generated: the seed's modules). */
  unknownModule(name: string, hint: string | undefined, generated: readonly string[]): Message;
  /** Told of every layer built without error (a family whose later rows depend on an earlier one's output). */
  built?(def: ModuleDef, out: Shape, header: ModelHeader): void;
  /** The strides of a model whose last layer builds `last.def` (`probe`: the Detect way, a 256x256 forward). */
  strides(last: { def?: ModuleDef }, probe: () => number[] | null): number[] | null;
  /** Repeats after the depth gain. */
  repeats(n: number, header: ModelHeader): number;
  /** A row's arguments and output channels by its module's rule. */
  resolve(row: RowContext): Resolution;
  /** The module is a head (the last layer, whose strides are probed). */
  isHead(def: ModuleDef): boolean;
  /** What a head built without error outputs, from its resolved arguments and its inputs' shapes. */
  headOutputs(def: ModuleDef, args: Py[], inputs: Shape[], header: ModelHeader): HeadOutputs | undefined;
  /** Said as a warning when the model has no head. */
  noHeadMessage: Message;
}
