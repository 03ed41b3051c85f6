/**
 * Messages (src/core/messages) in the language the user chose, live: every diagnostic, error and toast the
 * app shows goes through here.
 */
import { formatMessage, type Code, type Message } from '../src/core/index.ts';
import { useLang, type Lang } from './i18n.ts';

/** A message in `lang`'s words. */
export const messageText = (m: Message, lang: Lang): string => formatMessage(m, lang);

/** Messages in the current language (components re-render when it changes). */
export function useMessageText(): (m: Message) => string {
  const lang = useLang((s) => s.lang);
  return (m) => messageText(m, lang);
}

export type { Code, Message };
