/**
 * Messages (src/core/messages) in the language the user chose, live: every diagnostic, error and toast the
 * app shows goes through here.
 */
import { CODES, formatMessage, msg, type Code, type Message } from '../src/core/index.ts';
import { localizeMessage } from './diagnostics-i18n.ts';
import { useLang, type Lang } from './i18n.ts';

/**
 * Transitional: a message of a file not converted yet is English text; the old pattern catalog translates
 * it. Every nested message is looked at (a layer's problem can wrap such a text).
 */
function withLegacy(m: Message, lang: Lang): Message {
  if (m.code === 'unconverted')
    return msg('unexpected-error', { text: localizeMessage(m.params.text, m.params.legacyCode || undefined, lang) });
  const kinds = CODES[m.code] as Readonly<Record<string, unknown>>;
  let params: Record<string, unknown> | undefined;
  for (const [name, kind] of Object.entries(kinds)) {
    if (kind !== 'message') continue;
    const inner = (m.params as Record<string, Message>)[name];
    const mapped = inner && withLegacy(inner, lang);
    if (mapped !== inner) (params ??= { ...m.params })[name] = mapped;
  }
  return params ? ({ code: m.code, params } as unknown as Message) : m;
}

/** A message in `lang`'s words. */
export const messageText = (m: Message, lang: Lang): string =>
  formatMessage(lang === 'en' ? m : withLegacy(m, lang), lang);

/** Messages in the current language (components re-render when it changes). */
export function useMessageText(): (m: Message) => string {
  const lang = useLang((s) => s.lang);
  return (m) => messageText(m, lang);
}

export type { Code, Message };
