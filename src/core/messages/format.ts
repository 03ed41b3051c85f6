/**
 * Messages as data, words from the catalogs: a message is `{code, params}`, and each language's catalog
 * (en.ts, zh.ts) has one ICU MessageFormat template per code (intl-messageformat formats them). English
 * is what the CLI prints and what an error's `message` says; the app formats the language the user chose.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { visible } from '../names.ts';
import { textIn, type Lang, type Text } from '../text.ts';
import { CODES, type Code, type Message, type ParamsOf } from './codes.ts';
import { en } from './en.ts';
import { zh } from './zh.ts';

export type { Lang };

export const CATALOGS: Record<Lang, Readonly<Record<Code, string>>> = { en, zh };

type Args<C extends Code> = keyof ParamsOf<C> extends never ? [] : [params: ParamsOf<C>];

/**
 * A message: its code and, when the code has any, its parameters (typed per code). It returns the whole Message
 * union, not `Extract<Message, { code: C }>`: with ~530 recursive codes that narrowing made tsc relate unions at
 * every call (the three typecheck projects took ~30 minutes; 28 s without it).
 */
export function msg<C extends Code>(code: C, ...args: Args<C>): Message {
  return { code, params: args[0] ?? {} } as unknown as Message;
}

const compiled: Record<Lang, Map<string, IntlMessageFormat>> = { en: new Map(), zh: new Map() };

function formatter(lang: Lang, code: Code): IntlMessageFormat | undefined {
  let f = compiled[lang].get(code);
  if (!f) {
    const template = CATALOGS[lang][code];
    if (template === undefined) return undefined;
    // ignoreTag: '<' and '>' are text (c1 < c2), not markup
    f = new IntlMessageFormat(template, lang === 'zh' ? 'zh-CN' : 'en-US', undefined, { ignoreTag: true });
    compiled[lang].set(code, f);
  }
  return f;
}

/** A message in words: English unless another language is asked for. */
export function formatMessage(m: Message, lang: Lang = 'en'): string {
  const f = formatter(lang, m.code) ?? formatter('en', m.code);
  const kinds = CODES[m.code] as Readonly<Record<string, unknown>> | undefined;
  if (!f || !kinds) return `${m.code} ${JSON.stringify(m.params)}`;
  const params = m.params as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    const v = params[name];
    // a value that is missing is written as JavaScript writes it ('undefined'), not left out; text (from a
    // file, often) cannot break its line or drive a terminal
    values[name] =
      kind === 'message'
        ? formatMessage(v as Message, lang)
        : kind === 'flag'
          ? String(!!v)
          : v === undefined || v === null
            ? String(v)
            : kind === 'text'
              ? visible(String(v))
              : kind === 'texts'
                ? visible(textIn(v as Text, lang))
                : v;
  }
  return String(f.format(values));
}

/** An error that is a message: `message` is its English text (logs, the CLI), `msg` its data (the app's words). */
export class MessageError extends Error {
  constructor(readonly msg: Message) {
    super(formatMessage(msg));
  }
}

/** The message an error carries, or one that quotes an unexpected error's own (English) text (a bug's, the engine's). */
export function errorMessage(e: unknown): Message {
  if (e instanceof MessageError) return e.msg;
  return msg('unexpected-error', { text: e instanceof Error ? e.message : String(e) });
}

/** Messages one after another, each pair joined by the list's separator (semicolons, or lines). */
export function joinMessages(items: Message[], joiner: 'list.semicolon' | 'list.lines' = 'list.semicolon'): Message {
  if (!items.length) throw new Error('joinMessages needs at least one message');
  return items.reduceRight((then, first) => msg(joiner, { first, then }));
}
