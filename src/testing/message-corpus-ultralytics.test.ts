/**
 * The Ultralytics family's messages are codes with English and Chinese templates (no English text quoted as an
 * unexpected error). That the corpus reaches every code a config can: renderer/messages.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  analyze,
  buildAnalyzedLayer,
  defaultLibrary,
  formatMessage,
  loadLibraryChain,
  parseModelText,
  type Message,
} from '../core/index.ts';
import { ULTRALYTICS_BROKEN } from './message-corpus-ultralytics.ts';

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

describe('the Ultralytics family says its messages as codes, in English and Chinese', () => {
  const messages = said();

  it('nothing the family says is English text quoted as an unexpected error', () => {
    const english = (m: Message, outer?: string): string[] =>
      m.code === 'unexpected-error'
        ? [`${outer ?? ''} ${m.params.text}`]
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
