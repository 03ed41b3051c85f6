/**
 * The catalogs against the codes: every code has a template in every language, no template is left without
 * a code, and every template uses exactly its code's params, each as its kind allows (plural counts a
 * number, select chooses on a flag or one of a few words, a nested message is put in as it is).
 */
import {
  parse,
  TYPE,
  type MessageFormatElement,
  type PluralElement,
  type SelectElement,
} from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { CATALOGS, CODES, formatMessage, msg, MessageError, type Code, type Lang } from './index.ts';

interface Use {
  name: string;
  how: 'argument' | 'number' | 'plural' | 'select';
  options?: string[];
}

function uses(elements: MessageFormatElement[], out: Use[] = []): Use[] {
  for (const e of elements) {
    if (e.type === TYPE.argument) out.push({ name: e.value, how: 'argument' });
    else if (e.type === TYPE.number) out.push({ name: e.value, how: 'number' });
    else if (e.type === TYPE.plural || e.type === TYPE.select) {
      const el = e as PluralElement | SelectElement;
      out.push({ name: el.value, how: e.type === TYPE.plural ? 'plural' : 'select', options: Object.keys(el.options) });
      for (const o of Object.values(el.options)) uses(o.value, out);
    } else if (e.type === TYPE.date || e.type === TYPE.time || e.type === TYPE.tag)
      out.push({ name: (e as { value: string }).value, how: 'argument' });
  }
  return out;
}

const LANGS = Object.keys(CATALOGS) as Lang[];
const codes = Object.keys(CODES) as Code[];

/** What is wrong with one template of a code (empty when nothing is). */
function problems(code: Code, lang: Lang): string[] {
  const template = CATALOGS[lang][code];
  if (typeof template !== 'string') return ['no template'];
  let used: Use[];
  try {
    used = uses(parse(template, { ignoreTag: true }));
  } catch (e) {
    return [`does not parse: ${(e as Error).message}`];
  }
  const kinds = CODES[code] as Readonly<Record<string, unknown>>;
  const out: string[] = [];
  const names = new Set(used.map((u) => u.name));
  for (const name of Object.keys(kinds)) if (!names.has(name)) out.push(`leaves out {${name}}`);
  for (const u of used) {
    const kind = kinds[u.name];
    if (kind === undefined) out.push(`uses {${u.name}}, which is not a param`);
    else if ((u.how === 'plural' || u.how === 'number') && kind !== 'number')
      out.push(`counts {${u.name}}, which is not a number`);
    else if (u.how === 'select') {
      if (kind === 'flag') {
        if (!u.options!.includes('true')) out.push(`chooses on {${u.name}} without a 'true' branch`);
      } else if (Array.isArray(kind)) {
        const missing = kind.filter((v: string) => !u.options!.includes(v));
        if (missing.length > 1 || (missing.length === 1 && !u.options!.includes('other')))
          out.push(`chooses on {${u.name}} without branches for ${missing.join(', ')}`);
        for (const o of u.options!)
          if (o !== 'other' && !kind.includes(o)) out.push(`has a branch ${o} {${u.name}} never is`);
      } else out.push(`chooses on {${u.name}}, which is neither a flag nor one of a few words`);
    } else if (u.how === 'argument' && (kind === 'flag' || Array.isArray(kind)))
      out.push(`puts {${u.name}} in as it is, but it is for choosing`);
  }
  return out;
}

describe('message catalogs', () => {
  it('every code has a template in every language, and every template a code', () => {
    for (const lang of LANGS) {
      expect(Object.keys(CATALOGS[lang]).filter((c) => !(c in CODES))).toEqual([]);
      expect((Object.keys(CODES) as Code[]).filter((c) => typeof CATALOGS[lang][c] !== 'string')).toEqual([]);
    }
  });

  it('every template parses and uses exactly its params, each as its kind allows', () => {
    const found = LANGS.flatMap((lang) => codes.flatMap((c) => problems(c, lang).map((p) => `${lang} ${c}: ${p}`)));
    expect(found).toEqual([]);
  });

  it('the Chinese catalog is Chinese: every template with words has Chinese in it', () => {
    const words = (t: string) => t.replace(/\{[^{}]*\}/g, '').replace(/\{[^{}]*\{[^{}]*\}[^{}]*\}/g, '');
    const english = codes.filter((c) => {
      const t = CATALOGS.zh[c];
      return !/[\u4e00-\u9fff]/.test(t) && /[a-z]{3,}/i.test(words(t)) && t === CATALOGS.en[c];
    });
    // messages that are only their params, or a name the parser made and nothing else
    expect(english.filter((c) => !['unexpected-error', 'yaml.other'].includes(c))).toEqual([]);
  });

  it('the tests above can fail: a template that leaves a param out, or uses one it has not, is caught', () => {
    const en = CATALOGS.en as Record<Code, string>;
    const saved = en['missing-key'];
    try {
      en['missing-key'] = 'key is missing: YOLOv5 reads it (KeyError)';
      expect(problems('missing-key', 'en')).toEqual(['leaves out {key}']);
      en['missing-key'] = "''{key}'' is missing in {file}";
      expect(problems('missing-key', 'en')).toEqual(['uses {file}, which is not a param']);
      en['missing-key'] = "'{key}' is missing";
      expect(problems('missing-key', 'en')).toEqual(['leaves out {key}']);
    } finally {
      en['missing-key'] = saved;
    }
  });

  it('formats numbers as written, or grouped when the template says so; nested messages in the same language', () => {
    expect(formatMessage(msg('absurd-repeats', { n: 5000, max: 1000 }))).toBe('5000 repeats is absurd; at most 1000');
    expect(formatMessage(msg('absurd-channels', { channels: 2000000, max: 1 << 20 }))).toBe(
      '2,000,000 output channels is absurd (at most 1,048,576)',
    );
    const nested = msg('layer-problem', {
      layer: 3,
      module: 'Conv',
      problem: msg('size-vanishes', { part: msg('part.convolution'), height: 0, width: 0 }),
    });
    expect(formatMessage(nested)).toBe(
      'layer 3 Conv: a convolution would make the feature map 0x0: the input is too small for it',
    );
    expect(formatMessage(nested, 'zh')).toBe('第 3 层 Conv：卷积会使特征图变为 0x0：输入尺寸太小');
    expect(formatMessage(msg('duplicate-key', { key: 'nc' }), 'en')).toBe(
      "'nc' appears twice; the last one counts, as in PyYAML",
    );
  });

  it('an error carrying a message says it in English, and keeps the message', () => {
    const e = new MessageError(msg('no-such-row', { layer: 7 }));
    expect(e.message).toBe('there is no layer 7');
    expect(e.msg).toEqual({ code: 'no-such-row', params: { layer: 7 } });
  });
});
