import { describe, expect, it } from 'vitest';
import { DEFAULT_LIBRARY_YAML, parseModuleLibrary } from '../../src/core/index.ts';
import { argsText, moduleGraph, parseArgsText } from './module-graph.ts';

describe('module graph', () => {
  it('shows arguments on one line as typed, and reads them back to the same values', () => {
    // None stays the word None, as the library file reads it (evaluated as Python's None when the module is built)
    for (const args of [
      ['c1', 'c_', 1, 1],
      [['None', 1]],
      [2, 1, 'k', 1, 'k // 2', 1, 1, false],
      [true, 0.5, 'nearest'],
    ]) {
      const text = argsText(args as never);
      expect(text).not.toMatch(/\n/);
      expect(parseArgsText(text)).toEqual(args);
    }
    expect(argsText(['c1', 'c_', 1, 1])).toBe('c1, c_, 1, 1');
    expect(argsText([['None', 1]])).toBe('[None, 1]');
    expect(argsText([[null, 1]])).toBe('[None, 1]');
  });

  it("draws CBAM's inside: inputs, nodes, explicit and implicit wires, the output marked", () => {
    const cbam = parseModuleLibrary(DEFAULT_LIBRARY_YAML, 'default.modules.yaml').specs.find((s) => s.name === 'CBAM')!;
    const g = moduleGraph(cbam);
    expect(g.nodes[0]).toMatchObject({ id: 'in:x', index: null });
    expect(g.nodes.filter((n) => n.out).map((n) => n.title)).toEqual(['y = mul']);
    // m1 reuses f1 on the max-pooled branch; s concatenates the two channel statistics
    const into = (title: string) =>
      g.edges
        .filter((e) => e.target === g.nodes.find((n) => n.title.startsWith(title))!.id)
        .map((e) => g.nodes.find((n) => n.id === e.source)!.title.split(' ')[0]);
    expect(into('m1 =')).toEqual(['m']);
    expect(into('s = cat')).toEqual(['sm', 'sx']);
    expect(into('y1 = mul')).toEqual(['x', 'cw']);
    expect(g.edges.find((e) => e.target === g.nodes.find((n) => n.title.startsWith('a2 ='))!.id)?.implicit).toBe(true);
  });
});
