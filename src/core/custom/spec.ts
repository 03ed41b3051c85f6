/**
 * Users' own modules, described as data: arguments, hidden sizes as Python-style integer expressions, and
 * the inside as a list of nodes (existing modules and primitives). The same description gives parameters,
 * FLOPs, shapes, the tfjs network and the generated PyTorch code, with no code written by the user.
 *
 * A library file (NAME.modules.yaml beside NAME.yaml, or modules.yaml in the user's folder) maps names to
 * specs:
 *
 *   SE:
 *     description: Squeeze-and-excitation channel attention.
 *     family: attention
 *     args: [c1, c2, r=16]            # constructor signature; parse_model gives c1 and c2
 *     vars: {c_: max(c1 // r, 8)}     # hidden sizes, in order
 *     check: [[c1 == c2, "SE keeps its channels"]]
 *     body:
 *       - {id: s, op: nn.AdaptiveAvgPool2d, args: [1], name: avg}
 *       - {id: f, op: nn.Conv2d, args: [c1, c_, 1], in: s, name: fc1}
 *       ...
 *       - {id: y, op: mul, in: [x, g]}
 *     out: y
 */
import type { Family, ParseRule } from '../graph.ts';
import type { Py } from '../py.ts';

export interface CustomArg {
  name: string;
  /** Python literal text of the default, e.g. '16', 'True', '0.5'; absent: required. */
  default?: string;
}

export interface CustomNode {
  /** Name of the value this node produces (templated: 'sp{i}'). Splits produce id.0, id.1, ... */
  id?: string;
  /** A module (Conv, C3, nn.Conv2d, nn.SiLU, another custom module) or a function (add, mul, cat, split, pass, ...). */
  op?: string;
  /** Arguments: numbers, booleans, None, or Python expressions of args, vars and loop variables. */
  args?: Py[];
  /** Input value(s); default: the previous node's output (the module input `x` for the first node).
   *  An item 'c{j} for j in range(n)' expands to one input per value. */
  in?: string | string[];
  /** Attribute path of the module (state_dict names); default: the id. 'convs.{i}' puts it in a ModuleList. */
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
  body?: CustomNode[];
}

export interface CustomModuleSpec {
  name: string;
  description: string;
  family?: Family;
  /** How parse_model resolves a row's arguments (default: 'channels', like Conv). */
  parse?: Extract<ParseRule, 'channels' | 'channelsRepeat' | 'passthrough'>;
  args: CustomArg[];
  vars?: [string, string][];
  /** Conditions PyTorch enforces (construction or forward): [expression, message]. */
  check?: [string, string][];
  /** Module inputs; default ['x']. */
  inputs?: string[];
  body: CustomNode[];
  /** The output value; default: the last node's. */
  out?: string;
}
