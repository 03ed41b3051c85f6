/**
 * Texts that reach the user in their language: the languages the app speaks, and a text given in English
 * alone or in several languages (module descriptions, argument help, a description's check messages).
 */
export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];

/** English alone, or English and other languages. */
export type Text = string | Readonly<{ en: string } & Partial<Record<Lang, string>>>;

/** The text in `lang`, falling back to English. */
export function textIn(t: Text | undefined, lang: Lang = 'en'): string {
  if (t === undefined) return '';
  return typeof t === 'string' ? t : (t[lang] ?? t.en);
}

/** The text's languages beyond English (for a compiled module's translations). */
export function translations(t: Text | undefined): Partial<Record<Lang, string>> | undefined {
  if (t === undefined || typeof t === 'string') return undefined;
  const out: Partial<Record<Lang, string>> = {};
  for (const l of LANGS) if (l !== 'en' && t[l] !== undefined) out[l] = t[l];
  return Object.keys(out).length ? out : undefined;
}

export function isText(v: unknown): v is Text {
  if (typeof v === 'string') return true;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.en === 'string' && Object.entries(o).every(([k, x]) => LANGS.includes(k as Lang) && typeof x === 'string')
  );
}

/** An English text with its translations (a module's description, an argument's help) in `lang`. */
export const inLang = (en: string, others: Partial<Record<Lang, string>> | undefined, lang: Lang): string =>
  lang === 'en' ? en : (others?.[lang] ?? en);
