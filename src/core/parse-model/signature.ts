/** A row's resolved arguments against its module's signature: count, required ones, types, channel counts. */
import type { Range } from '../document.ts';
import type { ArgSpec, ModuleDef } from '../graph.ts';
import { msg, type Message } from '../messages/index.ts';
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
  error(code: string, message: Message, range: Range): void;
}

/** Says every way the arguments do not fit; true when they all do. */
export function checkSignature(row: SignatureCheck): boolean {
  const { def, args, c2 } = row;
  let fits = true;
  if (args.length > def.args.length) {
    row.error(
      'too-many-args',
      msg('too-many-args', {
        module: def.name,
        max: def.args.length,
        names: def.args.map((a) => a.name).join(', '),
        given: args.length,
        added: row.addsInputChannels,
      }),
      row.ranges.args,
    );
    fits = false;
  }
  def.args.forEach((spec, k) => {
    if (k >= args.length) {
      if (spec.required) {
        row.error(
          'missing-arg',
          msg('missing-required-arg', {
            module: def.name,
            name: spec.name,
            doc: msg('described', { text: { en: spec.doc ?? spec.type, ...spec.docs } }),
          }),
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
        msg('arg-wrong-type', { module: def.name, name: spec.name, problem, got: repr(args[k]) }),
        row.argRange(k),
      );
      fits = false;
    }
  });
  if (c2 !== null && (!(c2 > 0) || c2 > MAX_CHANNELS || !Number.isFinite(c2))) {
    row.error(
      'absurd-channels',
      c2 > 0
        ? msg('absurd-channels', { channels: c2, max: MAX_CHANNELS })
        : msg('impossible-channels', { channels: c2, max: MAX_CHANNELS }),
      row.ranges.firstArg,
    );
    fits = false;
  }
  if (row.buildRepeats > 1 && def.multiInput) {
    row.error('bad-repeats', msg('repeated-multi-input', { module: def.name }), row.ranges.n);
    fits = false;
  }
  return fits;
}

/** Why a value does not fit an argument's type (undefined when it fits). */
export function checkArg(spec: ArgSpec, v: Py): Message | undefined {
  const isNum = (x: Py) => typeof x === 'number' || x instanceof PyFloat;
  const isWhole = (x: Py) => isInt(x);
  switch (spec.type) {
    case 'int':
      return isWhole(v) || typeof v === 'boolean' ? undefined : msg('arg-needs-int');
    case 'float':
      return isNum(v) ? undefined : msg('arg-needs-number');
    case 'intOrPair':
      return isWhole(v) || (Array.isArray(v) && v.length === 2 && v.every(isWhole))
        ? undefined
        : msg('arg-needs-int-or-pair');
    case 'intOrNone':
      return v === null || isWhole(v) ? undefined : msg('arg-needs-int-or-none');
    case 'pairOrNone':
      return v === null || isWhole(v) || (Array.isArray(v) && v.length === 2 && v.every(isWhole))
        ? undefined
        : msg('arg-needs-none-int-or-pair');
    case 'ints':
      return isWhole(v) || (Array.isArray(v) && v.length > 0 && v.every(isWhole)) ? undefined : msg('arg-needs-ints');
    case 'padding':
      return isWhole(v) || (Array.isArray(v) && v.length === 4 && v.every(isWhole))
        ? undefined
        : msg('arg-needs-padding');
    case 'str':
      return typeof v === 'string' ? undefined : msg('arg-needs-str');
    case 'act':
      return typeof v === 'boolean' || (isPyModule(v) && actFromModule(v)) ? undefined : msg('arg-needs-act');
    default:
      return undefined;
  }
}
