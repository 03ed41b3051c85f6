/** A config's values as the module builders take them: floats unwrapped, nn modules as activations. */
import type { ActSpec } from '../graph.ts';
import { isInt, isPyModule, num, toJs, type Py, type PyModule } from '../py.ts';
import { NN_MODULES } from '../pyexpr.ts';

/** A config's value as a builder sees it: floats unwrapped, nn modules as activations. */
export function argToJs(v: Py): unknown {
  if (isPyModule(v)) return actFromModule(v);
  if (Array.isArray(v)) return v.map(argToJs);
  return toJs(v);
}

/** The largest value each header key may take (each from 1): nc, ch/channels (input channels), channel_multiple. */
export const HEADER_MAX = { nc: 100_000, channels: 4096, channelMultiple: 1024 } as const;

/** A whole number from 1 to max. */
export const inRange = (v: Py, max: number): v is number => isInt(v) && v >= 1 && v <= max;

/** The torch.nn activations a config may name (`nn.SiLU()`, `nn.LeakyReLU(0.1)`): the modules the evaluator knows. */
export const ACTS: ReadonlySet<string> = new Set(Object.keys(NN_MODULES));

/** The activation an `nn.X(...)` value constructs, or undefined when it is not one. */
export function actFromModule(m: PyModule): ActSpec | undefined {
  const type = m.module.replace(/^nn\./, '');
  if (!ACTS.has(type)) return undefined;
  const spec: ActSpec = { type: type as ActSpec['type'] };
  if (type === 'LeakyReLU') spec.alpha = num(m.kwargs?.negative_slope ?? m.args[0] ?? null) ?? 0.01;
  if (type === 'ELU') spec.alpha = num(m.kwargs?.alpha ?? m.args[0] ?? null) ?? 1;
  return spec;
}
