/** A row's resolved arguments against its module's signature: count, required ones, types, channel counts. */
import type { Range } from '../document.ts';
import type { ArgSpec, ModuleDef } from '../graph.ts';
import { PyFloat, isInt, isPyModule, repr, type Py } from '../py.ts';
import { LIMITS } from '../limits.ts';
import { actFromModule } from './values.ts';

export const MAX_CHANNELS = LIMITS.channels;

export interface SignatureCheck {
  def: ModuleDef;
  /** Arguments as parse_model passes them. */
  args: Py[];
  c2: number | null;
  buildRepeats: number;
  /** parse_model added the input channels (said when the row gives too many arguments). */
  addsInputChannels: boolean;
  /** Where resolved argument k is written (the arguments' list when parse_model added it). */
  argRange(k: number): Range;
  ranges: { args: Range; firstArg: Range; n: Range };
  error(code: string, message: string, range: Range): void;
}

/** Says every way the arguments do not fit; true when they all do. */
export function checkSignature(row: SignatureCheck): boolean {
  const { def, args, c2 } = row;
  let fits = true;
  if (args.length > def.args.length) {
    row.error(
      'too-many-args',
      `${def.name} takes at most ${def.args.length} arguments (${def.args.map((a) => a.name).join(', ')}); this row gives ${args.length}${row.addsInputChannels ? ' after parse_model adds the input channels' : ''}`,
      row.ranges.args,
    );
    fits = false;
  }
  def.args.forEach((spec, k) => {
    if (k >= args.length) {
      if (spec.required) {
        row.error(
          'missing-arg',
          `${def.name} needs its argument '${spec.name}' (${spec.doc ?? spec.type}); PyTorch raises without it`,
          row.ranges.args,
        );
        fits = false;
      }
      return;
    }
    const problem = checkArg(spec, args[k]);
    if (problem) {
      row.error(
        'bad-arg-type',
        `${def.name}'s argument '${spec.name}' ${problem}, got ${repr(args[k])}`,
        row.argRange(k),
      );
      fits = false;
    }
  });
  if (c2 !== null && (!(c2 > 0) || c2 > MAX_CHANNELS || !Number.isFinite(c2))) {
    row.error(
      'absurd-channels',
      `${c2.toLocaleString('en-US')} output channels is ${c2 > 0 ? 'absurd' : 'impossible'} (at most ${MAX_CHANNELS.toLocaleString('en-US')})`,
      row.ranges.firstArg,
    );
    fits = false;
  }
  if (row.buildRepeats > 1 && def.multiInput) {
    row.error(
      'bad-repeats',
      `${def.name} takes several inputs, so it cannot be repeated (number must be 1)`,
      row.ranges.n,
    );
    fits = false;
  }
  return fits;
}

/** Why a value does not fit an argument's type (undefined when it fits). */
export function checkArg(spec: ArgSpec, v: Py): string | undefined {
  const isNum = (x: Py) => typeof x === 'number' || x instanceof PyFloat;
  const isWhole = (x: Py) => isInt(x);
  switch (spec.type) {
    case 'int':
      return isWhole(v) || typeof v === 'boolean' ? undefined : 'must be a whole number';
    case 'float':
      return isNum(v) ? undefined : 'must be a number';
    case 'intOrPair':
      return isWhole(v) || (Array.isArray(v) && v.length === 2 && v.every(isWhole))
        ? undefined
        : 'must be a whole number or a pair of them';
    case 'intOrNone':
      return v === null || isWhole(v) ? undefined : 'must be a whole number or None';
    case 'pairOrNone':
      return v === null || isWhole(v) || (Array.isArray(v) && v.length === 2 && v.every(isWhole))
        ? undefined
        : 'must be None, a whole number or a pair of them';
    case 'ints':
      return isWhole(v) || (Array.isArray(v) && v.length > 0 && v.every(isWhole))
        ? undefined
        : 'must be a list of whole numbers';
    case 'padding':
      return isWhole(v) || (Array.isArray(v) && v.length === 4 && v.every(isWhole))
        ? undefined
        : 'must be a whole number or [left, right, top, bottom]';
    case 'str':
      return typeof v === 'string' ? undefined : 'must be a string';
    case 'act':
      return typeof v === 'boolean' || (isPyModule(v) && actFromModule(v))
        ? undefined
        : 'must be True, False or an activation such as nn.LeakyReLU(0.1)';
    default:
      return undefined;
  }
}
