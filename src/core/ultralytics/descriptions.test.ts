/** Every Ultralytics module says what it is in Simplified Chinese too (the palette, inspector and look inside). */
import { describe, expect, it } from 'vitest';
import { textIn } from '../text.ts';
import { blockArgHelp } from './args.ts';
import { ultralyticsModules } from './modules.ts';

describe("the Ultralytics modules' descriptions", () => {
  const modules = ultralyticsModules();

  it('every module, blocks, heads and hand-written ones alike, has a Chinese description beside its English one', () => {
    expect(modules.length).toBeGreaterThan(70);
    const missing = modules.filter((d) => !d.descriptions?.zh || !/[\u4e00-\u9fff]/.test(d.descriptions.zh));
    expect(missing.map((d) => d.name)).toEqual([]);
    for (const d of modules) expect(d.description, d.name).not.toBe('');
  });

  it("names the family's blocks as the English does, and never YOLOv5 for a module shared with it", () => {
    const lost: string[] = [];
    for (const d of modules) {
      const en = d.description;
      const zh = d.descriptions!.zh!;
      // the module and block names the English gives (C2f, RepConv, PSABlock...) stay in the Chinese
      const names = (en.match(/\b(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|Conv|Linear)\b/g) ?? []).map((n) =>
        n.replace(/([A-Z0-9]\w*)s$/, '$1'),
      );
      for (const n of new Set(names)) if (!zh.includes(n)) lost.push(`${d.name}: ${n}`);
      expect(zh, d.name).not.toMatch(/YOLOv5/);
    }
    expect(lost).toEqual([]);
    expect(textIn({ en: 'x', zh: modules.find((d) => d.name === 'C3k2')!.descriptions!.zh! }, 'zh')).toMatch(
      /^YOLO11 的 C2f/,
    );
  });

  it('every argument of every Ultralytics module has a type and a one-line meaning in English and Chinese', () => {
    // arguments whose value is open in PyTorch too: a torchvision weights name or None, an activation instance
    // (True is no activation there), and the channel groups parse_model itself passes
    const open = new Set(['AIFI.act', 'RTDETRDecoder.act', 'CBFuse.groups', 'TorchVision.weights']);
    const lacking: string[] = [];
    for (const d of modules) {
      if (d.name.startsWith('nn.')) continue; // torch's own, shared with YOLOv5
      for (const a of d.args) {
        const where = `${d.name}.${a.name}`;
        if (a.type === 'any' && !open.has(where)) lacking.push(`${where}: type`);
        if (!a.doc || /^(required|default )/.test(a.doc) || /\n/.test(a.doc)) lacking.push(`${where}: doc`);
        if (!/[\u4e00-\u9fff]/.test(a.docs?.zh ?? '')) lacking.push(`${where}: zh`);
      }
    }
    expect(lacking).toEqual([]);
    const c3k = modules.find((d) => d.name === 'C3k2')!.args.find((a) => a.name === 'c3k')!;
    expect(c3k).toMatchObject({ type: 'bool', default: false });
    expect(c3k.doc).toMatch(/C3k blocks inside/);
    expect(c3k.docs?.zh).toMatch(/C3k/);
  });

  it('an argument that means what its name means in most blocks says it all from the shared table, in both languages', () => {
    const drifted: string[] = [];
    for (const d of modules)
      for (const a of d.args) {
        const shared = blockArgHelp('', a.name);
        if (!shared) continue;
        const same = [a.doc === shared.en, a.docs?.zh === shared.zh];
        if (same[0] !== same[1] || (same[0] && a.type !== shared.type)) drifted.push(`${d.name}.${a.name}`);
      }
    expect(drifted).toEqual([]);
    const cbLinear = modules.find((d) => d.name === 'CBLinear')!;
    expect(cbLinear.args.find((a) => a.name === 'p')).toMatchObject({ type: 'pairOrNone', default: null });
    expect(cbLinear.args.find((a) => a.name === 'k')!.docs?.zh).toBe(blockArgHelp('', 'k')!.zh);
  });
});
