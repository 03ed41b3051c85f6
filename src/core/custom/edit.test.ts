import { describe, expect, it } from 'vitest';
import { formatMessage } from '../messages/index.ts';
import { defaultLibrary } from './defaults.ts';
import { loadLibraryChain, parseModuleLibrary } from './library.ts';
import {
  moduleCommand,
  moduleYaml,
  newModuleSpec,
  removeLibraryEntry,
  setLibraryEntry,
  tryModule,
  type ModuleEdit,
} from './edit.ts';
import type { ModuleSpec } from './spec.ts';

const run = (spec: ModuleSpec, ...edits: ModuleEdit[]) =>
  edits.reduce((s, e) => {
    const r = moduleCommand(e).perform(s);
    if (!r.ok) throw new Error(r.error && formatMessage(r.error));
    return r.spec;
  }, spec);

/** A sigmoid gate built the way a user builds it in the module editor: 1x1 conv, sigmoid, times the input. */
function gate(): ModuleSpec {
  return run(
    newModuleSpec(),
    { type: 'setInfo', key: 'name', value: 'Gate' },
    { type: 'setInfo', key: 'description', value: 'x times a sigmoid gate from a 1x1 conv' },
    { type: 'addNode', node: { op: 'nn.Sigmoid' } },
    { type: 'addNode', node: { op: 'mul' } },
    { type: 'connect', source: 'x', target: 2 },
  );
}

describe('module editor commands', () => {
  it('build a gating block node by node, and the library reads it back with its params and shapes', () => {
    const spec = gate();
    expect(spec.body.map((n) => n.id)).toEqual(['cv1', 'sigmoid1', 'mul1']);
    expect(spec.body[2].in).toEqual(['sigmoid1', 'x']);
    const lib = parseModuleLibrary(moduleYaml(spec), 'modules.yaml');
    expect(lib.diagnostics).toEqual([]);
    const { registry } = loadLibraryChain([{ file: 'modules.yaml', text: moduleYaml(spec) }], [defaultLibrary()]);
    const t = tryModule('Gate', registry, { c1: 64, hw: 80, rowArgs: '64', spec });
    expect(t.ok).toBe(true);
    expect(t.values).toEqual({ cv1: [64, 80, 80], sigmoid1: [64, 80, 80], mul1: [64, 80, 80] });
    expect(t.params).toBe(64 * 64 + 2 * 64);
    expect(t.shape).toEqual([64, 80, 80]);
    // the mul of 64 and 32 channels fails as in PyTorch
    const bad = tryModule('Gate', registry, { c1: 64, hw: 80, rowArgs: '32' });
    expect(bad.ok).toBe(false);
    expect(formatMessage(bad.diagnostics[0].message)).toMatch(/mul|broadcast|channels/i);
  });

  it('refuse what would break the module, with a reason, and leave it unchanged', () => {
    const spec = gate();
    const bad: [ModuleEdit, RegExp][] = [
      [{ type: 'setInfo', key: 'name', value: '2fast' }, /not a valid module name/],
      [{ type: 'addArg', arg: { name: 'c1' } }, /already an argument/],
      [{ type: 'addArg', arg: { name: 'k', default: '3' } }, /^$/],
      [{ type: 'connect', source: 'mul1', target: 0 }, /comes before/],
      [{ type: 'connect', source: 'x', target: 2 }, /already reads/],
      [{ type: 'setNode', index: 1, node: { id: 'cv1', op: 'nn.Sigmoid' } }, /already a value/],
      [{ type: 'setNode', index: 1, node: { id: 's', op: 'nn.Sigmoid', in: 'nope' } }, /no input or node produces/],
      [{ type: 'addVar', name: 'c_', expr: '' }, /give it a value/],
    ];
    for (const [e, want] of bad) {
      const r = moduleCommand(e).perform(spec);
      if (want.source === '^$') expect(r.ok).toBe(true);
      else {
        expect(r.ok, e.type).toBe(false);
        expect(r.error && formatMessage(r.error)).toMatch(want);
        expect(r.spec).toBe(spec);
      }
    }
    const after = run(spec, { type: 'addArg', arg: { name: 'k', default: '3' } });
    const refused = moduleCommand({ type: 'addArg', arg: { name: 'm' } }).perform(after).error;
    expect(refused && formatMessage(refused)).toMatch(/cannot follow one with a default/);
  });

  it('renaming a node renames its readers; deleting it unwires them', () => {
    const spec = gate();
    const renamed = run(spec, { type: 'setNode', index: 1, node: { ...spec.body[1], id: 'g' } });
    expect(renamed.body[2].in).toEqual(['g', 'x']);
    const removed = run(renamed, { type: 'removeNode', index: 1 });
    expect(removed.body.map((n) => n.id)).toEqual(['cv1', 'mul1']);
    expect(removed.body[1].in).toBe('x');
    const unwired = run(removed, { type: 'disconnect', source: 'x', target: 1 });
    expect(unwired.body[1].in).toBeUndefined();
  });

  it('write a module into a library text in place, keeping the other entries and comments', () => {
    const lib = `# my modules\nOther:  # keep me\n  description: other\n  args: [c1, c2]\n  body: [{id: y, op: nn.Identity}]\n`;
    const added = setLibraryEntry(lib, gate());
    expect(added.startsWith(lib)).toBe(true);
    expect(parseModuleLibrary(added).specs.map((s) => s.name)).toEqual(['Other', 'Gate']);
    const renamed = setLibraryEntry(added, { ...gate(), name: 'Gate2' }, 'Gate');
    expect(parseModuleLibrary(renamed).specs.map((s) => s.name)).toEqual(['Other', 'Gate2']);
    expect(() => setLibraryEntry(renamed, { ...gate(), name: 'Other' }, 'Gate2')).toThrow(
      /already has a module named Other/,
    );
    expect(parseModuleLibrary(removeLibraryEntry(renamed, 'Gate2')).specs.map((s) => s.name)).toEqual(['Other']);
    expect(setLibraryEntry('', gate())).toMatch(/^# YOLO Architect module library.*\nGate:\n/);
    expect(() => setLibraryEntry('a: [', gate())).toThrow(/cannot be read/);
  });

  it('a module with two inputs: renaming the input renames its readers', () => {
    const spec = run(gate(), { type: 'setInputs', inputs: ['a', 'b'] });
    expect(spec.inputs).toEqual(['a', 'b']);
    expect(spec.body[0].in).toBe('a');
    expect(spec.body[2].in).toEqual(['sigmoid1', 'a']);
    const said = (inputs: string[]) => {
      const error = moduleCommand({ type: 'setInputs', inputs }).perform(spec).error;
      return error && formatMessage(error);
    };
    expect(said(['a', 'a'])).toMatch(/must differ/);
    expect(said(['cv1'])).toMatch(/already a name/);
    expect(run(spec, { type: 'setInputs', inputs: ['x'] }).inputs).toBeUndefined();
  });
});
