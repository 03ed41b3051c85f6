/**
 * The module description format: every module written as data, YOLOv5's own (src/core/modules), the seed's
 * Res2Net blocks, the default library and users' libraries. A description gives the module's arguments
 * (typed, with defaults and help), hidden sizes as Python-style expressions, checks PyTorch would make, and
 * the inside as a list of nodes (existing modules and primitives, see ops.ts). Compiled once (interpret.ts),
 * the same description gives parameters, FLOPs, shapes, the tfjs network, the "look inside" view and the
 * generated PyTorch code. It holds no Python import path: a model family's index registers it under its own.
 *
 * A library file (NAME.modules.yaml beside NAME.yaml, or modules.yaml in the user's folder) maps names to
 * descriptions:
 *
 *   SE:
 *     description: Squeeze-and-excitation channel attention.
 *     category: attention
 *     args: [c1, c2, r=16]            # constructor signature; parse_model gives c1 and c2
 *     vars: {c_: max(c1 // r, 8)}     # hidden sizes, in order
 *     check: [[c1 == c2, "SE keeps its channels"]]
 *     body:
 *       - {id: s, op: nn.AdaptiveAvgPool2d, args: [1], name: avg}
 *       - {id: f, op: nn.Conv2d, args: [c1, c_, 1], in: s, name: fc1}
 *       ...
 *       - {id: y, op: mul, in: [x, g]}
 *     out: y
 *
 * Built-in descriptions use the same fields as TypeScript objects, with typed arguments and texts in English
 * and Chinese, e.g. `{name: 'e', type: 'float', default: '0.5', doc: {en: 'hidden channel expansion', zh: ...}}`.
 */
import type { Category } from '../modules/categories.ts';
import type { Py } from '../py.ts';
import type { Text } from '../text.ts';

/** The type of a module's argument, as its signature check and the editors read it. */
export type ArgType =
  | 'int'
  | 'float'
  | 'bool'
  | 'intOrPair'
  | 'intOrNone'
  | 'pairOrNone'
  | 'ints'
  | 'padding'
  | 'str'
  | 'act'
  | 'anchors'
  | 'channels'
  | 'any';

/** How parse_model resolves a row's arguments for this module (models/yolo.py). */
export type ParseRule =
  /** c1 = ch[f]; c2 = args[0] with width gain; args = [c1, c2, *args[1:]] */
  | 'channels'
  /** as 'channels', plus n inserted as the third argument (and n = 1) */
  | 'channelsRepeat'
  | 'batchNorm'
  | 'concat'
  | 'detect'
  | 'contract'
  | 'expand'
  /** args passed as written; c2 = ch[f] */
  | 'passthrough';

export interface ModuleArg {
  name: string;
  /** Python literal text of the default, e.g. '16', 'True', '0.5', 'None'; absent: required. */
  default?: string;
  /** What a row may give (checked before the build, as parse_model's module would fail); default 'any'. */
  type?: ArgType;
  /** Help shown beside the argument. */
  doc?: Text;
}

/** A condition PyTorch enforces (at construction or forward), or a note about what it silently does. */
export interface ModuleCheck {
  /** What must hold: a Python expression of the arguments, vars and loop variables. */
  assert: string;
  /**
   * What is wrong when it does not hold; `{expr}` parts are filled with the values (Python repr). Reported as
   * written when `code` is given, else as "NAME: message" with the code check-failed.
   */
  message: Text;
  /** A stable code for the problem (bad-args, residual-mismatch, ...). */
  code?: string;
  /** 'error' (default): the layer cannot be built; 'warning' or 'info': a note, and the build goes on. */
  severity?: 'error' | 'warning' | 'info';
}

export interface ModuleNode {
  /** Name of the value this node produces (templated: 'sp{i}'). Splits produce id.0, id.1, ... */
  id?: string;
  /** A module (Conv, C3, another description), a torch.nn primitive or a function (ops.ts). */
  op?: string;
  /** Positional arguments: numbers, booleans, None, lists, or Python expressions of args, vars and loop variables. */
  args?: Py[];
  /** Keyword arguments by the op's argument names, e.g. {act: False}. */
  kwargs?: Record<string, Py>;
  /** Input value(s); default: the previous node's output (the module input `x` for the first node).
   *  An item 'c{j} for j in range(n)' expands to one input per value. */
  in?: string | string[];
  /** Attribute path of the module (state_dict names); default: the id. 'convs.{i}' puts it in a container. */
  name?: string;
  /** Build only when this expression is true. */
  when?: string;
  /** Repeat this node for each value of a variable: {i: 'range(nums)'}. Ids, names and inputs may use {i}. */
  for?: Record<string, string>;
  /** Copies in an nn.Sequential (a module op only). */
  repeat?: string | number;
  /** Apply a module defined earlier again (shared weights), instead of `op`. */
  use?: string;
  /** A group of nodes (with `for`, a loop body; with `when`, a conditional block). */
  body?: ModuleNode[];
  /** A check at this point of the build (with message, code and severity as a ModuleCheck): no value. */
  assert?: string;
  message?: Text;
  code?: string;
  severity?: ModuleCheck['severity'];
}

/** The parse rules a description may use (the others take lists of inputs or compute channels themselves). */
export type DescribedParseRule = Extract<ParseRule, 'channels' | 'channelsRepeat' | 'passthrough' | 'batchNorm'>;

export interface ModuleSpec {
  name: string;
  description: Text;
  category?: Category;
  /** How parse_model resolves a row's arguments (default: 'channels', like Conv). */
  parse?: DescribedParseRule;
  /** An inner building block, not offered in the palette. */
  internal?: boolean;
  args: ModuleArg[];
  vars?: [string, string][];
  /** Checked before the body is built. */
  check?: ModuleCheck[];
  /** Module inputs; default ['x']. */
  inputs?: string[];
  /**
   * The channels the module is built for, when its first op does not check them itself (Focus slices before
   * its Conv): an input with others fails at forward in PyTorch, so the build stops before the body.
   */
  inChannels?: string;
  /** Containers (the first part of names like 'm.0') that are an nn.Sequential; the others are nn.ModuleList. */
  containers?: Record<string, 'Sequential' | 'ModuleList'>;
  /**
   * The class this module extends, constructed with these arguments (Python's super().__init__(...)): its
   * modules and parameters are this module's own. A module with a base has no body.
   */
  base?: { op: string; args?: Py[]; kwargs?: Record<string, Py> };
  /** The arguments a new row of this module is written with (YAML flow list), when its parse rule's choice does not fit. */
  example?: string;
  body: ModuleNode[];
  /** The output value; default: the last node's. */
  out?: string;
}

/** Every op a description uses (its base's and its nodes', nested groups included). */
export function usedOps(spec: Pick<ModuleSpec, 'body' | 'base'>): string[] {
  const walk = (nodes: ModuleNode[]): string[] =>
    nodes.flatMap((n) => [...(n.op ? [n.op] : []), ...(n.body ? walk(n.body) : [])]);
  return [...(spec.base ? [spec.base.op] : []), ...walk(spec.body)];
}
