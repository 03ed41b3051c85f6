/**
 * Reading a file the user opens, as the read worker does it: a model YAML parsed and analysed exactly as the
 * editor will (the same libraries and input size), a .pt checkpoint unpickled into its architecture's YAML.
 * Plain data in and out; no DOM, so it runs in the worker and in unit tests alike. Whatever a file makes core
 * do happens here first, off the page's thread: a file that would hang or exhaust the reader ends with the
 * worker, never with a frozen window (read-client.ts stops it at a time limit).
 */
import {
  analyzeDoc,
  checkpointYaml,
  defaultLibrary,
  errorMessage,
  loadLibraryChain,
  openDoc,
  readCheckpoint,
  type LibrarySource,
  type Message,
} from '../../src/core/index.ts';

export interface ReadModelRequest {
  type: 'model';
  id: number;
  name: string;
  text: string;
  /** The libraries beyond the default one (the user's, the model's), in reading order. */
  libraries: LibrarySource[];
  imgsz: number;
}

export interface ReadCheckpointRequest {
  type: 'checkpoint';
  id: number;
  name: string;
  bytes: Uint8Array;
}

export type ReadRequest = ReadModelRequest | ReadCheckpointRequest;

/** What a model YAML is, as far as opening it goes. */
export interface ModelFacts {
  /** A dataset YAML: class names and no layers (it sets nc of the open model instead of replacing it). */
  dataset: boolean;
  names?: string[];
  /** ms the parse and the analysis took here. */
  ms: number;
  errors: number;
}

export type ReadResponse =
  | ({ id: number; type: 'model'; ok: true } & ModelFacts)
  | { id: number; type: 'checkpoint'; ok: true; text: string; names?: string[]; bytes: Uint8Array; ms: number }
  | { id: number; ok: false; message: Message };

export function readModel(req: Omit<ReadModelRequest, 'type' | 'id'>): ModelFacts {
  const t0 = performance.now();
  const registry = loadLibraryChain(req.libraries, [defaultLibrary()]).registry;
  const doc = openDoc(req.text, req.name);
  const src = doc.source;
  const dataset = !!src.names && src.rows.length === 0 && !src.sections.backbone;
  const analysis = dataset ? null : analyzeDoc(doc, { imgsz: req.imgsz, registry });
  return {
    dataset,
    ...(src.names ? { names: src.names } : {}),
    ms: performance.now() - t0,
    errors: analysis?.diagnostics.filter((d) => d.severity === 'error').length ?? 0,
  };
}

export function readCheckpointFile(req: Omit<ReadCheckpointRequest, 'type' | 'id'>): {
  text: string;
  names?: string[];
} {
  const cp = readCheckpoint(req.bytes);
  return { text: checkpointYaml(cp, req.name), ...(cp.names ? { names: cp.names } : {}) };
}

/** One request answered; an exception (a bug, or the engine's own limit such as its stack) is an answer too. */
export function answer(req: ReadRequest): { response: ReadResponse; transfer: Transferable[] } {
  try {
    if (req.type === 'model')
      return { response: { id: req.id, type: 'model', ok: true, ...readModel(req) }, transfer: [] };
    const t0 = performance.now();
    const r = readCheckpointFile(req);
    return {
      response: { id: req.id, type: 'checkpoint', ok: true, ...r, bytes: req.bytes, ms: performance.now() - t0 },
      transfer: [req.bytes.buffer],
    };
  } catch (e) {
    const message = errorMessage(e);
    return { response: { id: req.id, ok: false, message }, transfer: [] };
  }
}
