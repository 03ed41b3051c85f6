/**
 * The Ultralytics family's messages are codes with English and Chinese templates (no English text through the
 * transitional 'unconverted' message): its broken configs say every one of them that a config can reach.
 */
import { describe, expect, it } from 'vitest';
import {
  analyze,
  buildAnalyzedLayer,
  CODES,
  defaultLibrary,
  formatMessage,
  loadLibraryChain,
  parseModelText,
  type Message,
} from '../core/index.ts';
import { ULTRALYTICS_BROKEN } from './message-corpus-ultralytics.ts';

/** Guards a config cannot reach through parse_model (it always hands these modules what they check for). */
const UNREACHABLE = new Set([
  'ul.head-channels',
  'ul.rtdetr-channels',
  'ul.needs-text',
  'ul.c2fattn-needs-text',
  'ul.pooling-channels',
  'ul.part.position-embedding',
  'ul.part.attention-bias',
  'ul.part.text-residual',
]);

function said(): Message[] {
  const registry = loadLibraryChain([], [defaultLibrary()]).registry;
  const out: Message[] = [];
  for (const [what, text, imgsz, scale] of ULTRALYTICS_BROKEN) {
    const a = analyze(parseModelText(text, `${what}.yaml`), {
      registry,
      ...(imgsz !== undefined ? { imgsz } : {}),
      ...(scale !== undefined ? { scale } : {}),
    });
    out.push(...a.diagnostics.map((d) => d.message));
    for (const l of a.layers) {
      const error = !l.ok && l.def && l.args ? buildAnalyzedLayer(a, l.i)?.error : undefined;
      if (error) out.push(error.msg);
    }
  }
  return out;
}

/** A message's code and the codes of the messages inside it. */
function codes(m: Message, into = new Set<string>()): Set<string> {
  into.add(m.code);
  for (const v of Object.values(m.params as Record<string, unknown>))
    if (v && typeof v === 'object' && 'code' in v && 'params' in v) codes(v as Message, into);
  return into;
}

describe('the Ultralytics family says its messages as codes, in English and Chinese', () => {
  const messages = said();
  const reached = new Set<string>();
  for (const m of messages) codes(m, reached);

  it('every Ultralytics code a config can reach is said by the corpus', () => {
    const family = Object.keys(CODES).filter((c) => c.startsWith('ul.'));
    expect(family.length).toBeGreaterThan(40);
    expect(family.filter((c) => !reached.has(c) && !UNREACHABLE.has(c))).toEqual([]);
    // a guard that became reachable is tested, not listed
    expect([...UNREACHABLE].filter((c) => reached.has(c))).toEqual([]);
  });

  it('nothing the family says is English text through the transitional message', () => {
    // (but Python's own parse error quoted in ul.arg-syntax: pyexpr's words, converted with pyexpr)
    const english = (m: Message, outer?: string): string[] =>
      m.code === 'unconverted'
        ? outer === 'ul.arg-syntax' && m.params.legacyCode === '@py'
          ? []
          : [`${outer ?? ''} ${m.params.text}`]
        : Object.values(m.params as Record<string, unknown>).flatMap((v) =>
            v && typeof v === 'object' && 'code' in v ? english(v as Message, m.code) : [],
          );
    expect(messages.flatMap((m) => english(m))).toEqual([]);
  });

  it('each message in Chinese is Chinese, not the English', () => {
    for (const m of messages) {
      const zh = formatMessage(m, 'zh');
      expect(zh, formatMessage(m)).toMatch(/[\u4e00-\u9fff]/);
      expect(zh).not.toBe(formatMessage(m));
    }
  });
});
