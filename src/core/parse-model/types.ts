/** What the analysis of a model gives: every layer as parse_model builds it, the totals and the diagnostics. */
import type { ModelSource, RowSource } from '../document.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { ModuleDef, Shape } from '../graph.ts';
import type { Py } from '../py.ts';
import type { Limits } from '../limits.ts';
import type { Registry } from '../registry.ts';
import type { HeadOutputs, ModelFamily, ModelHeader } from './family.ts';

export interface AnalyzeOptions {
  /** Input size (square, or [height, width]); default 640. */
  imgsz?: number | [number, number];
  registry?: Registry;
  /** Whose parse_model reads the config (default: the family the file is written for, families.ts). */
  family?: ModelFamily;
  /** Limits on the work a file may cause, raised or lowered (default LIMITS: repeats, totalRepeats, work). */
  limits?: Partial<Limits>;
  /** Ultralytics: the scale to use (default: the one the file name gives, else the first). */
  scale?: string;
}

export interface LayerResult {
  i: number;
  row: RowSource;
  /** `from` as written (ints), or null when unreadable. */
  from: number | number[] | null;
  /** Absolute indices of the inputs (-1: the image). */
  inputs: number[];
  /** Repeats after the depth multiple (parse_model's n_). */
  n: number;
  /** Repeats the layer is built with (1 when parse_model passes n as an argument, as to C3). */
  buildRepeats: number;
  /** Module name as written. */
  module: string;
  def?: ModuleDef;
  /** Arguments as parse_model passes them to the module. */
  args: Py[] | null;
  /** Output channels as parse_model records them (ch[i]). */
  c2: number | null;
  /** Output [C, H, W] (NaN where unknown); for Detect/Segment [predictions, outputs]. */
  shape: Shape | null;
  /** Detect/Segment: per level [na, h, w, no]; Segment's prototypes [nm, h, w]. */
  detect?: HeadOutputs;
  params: number;
  macs: number;
  /** Modules in this layer's tree (its own module included, shared default activation excluded). */
  modules: number;
  shared: string[];
  /** Built without a construction or forward error. */
  ok: boolean;
  /** What the framework set before constructing the layer (Ultralytics' Detect.legacy). */
  attrs?: Readonly<Record<string, unknown>>;
  /** Inputs beyond the layers `from` names (the world models' text embeddings). */
  sideInputs?: Shape[];
  /** The arguments the module is built with, when they differ from `args` (CBFuse's channel groups). */
  buildArgs?: Py[];
}

/** A config read: its header's values (nc, multiples, anchors, ...) and what its rows built. */
export interface ModelAnalysis extends ModelHeader {
  source: ModelSource;
  /** Whose parse_model read the config, and why that family. */
  family: ModelFamily;
  familyWhy: string;
  /** Ultralytics: the scale used ('' when the file has none), where it came from, and the file's scales. */
  scale?: { name: string; from: 'option' | 'name' | 'first' | 'none'; scales: string[]; maxChannels: number };
  imgsz: [number, number];
  /** The modules the config was read with (built-ins plus module libraries). */
  registry: Registry;
  /** The limits it was analysed with (graph builds of its layers use the same). */
  limits?: Limits;
  layers: LayerResult[];
  params: number;
  modules: number;
  gflops: number;
  stride: number[] | null;
  diagnostics: Diagnostic[];
}
