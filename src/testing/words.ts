/**
 * For tests that read messages as English text: a diagnostic (or anything with a message) with its
 * message in words, and an edit's refusal in words.
 */
import { formatMessage, type Message } from '../core/index.ts';

/** `x` with its message in English words. */
export const inWords = <T extends { message: Message }>(x: T): Omit<T, 'message'> & { message: string } => ({
  ...x,
  message: formatMessage(x.message),
});

/** An analysis (or anything with diagnostics) whose diagnostics say their messages in English words. */
export const diagnosticsInWords = <T extends { diagnostics: { message: Message }[] }>(
  x: T,
): Omit<T, 'diagnostics'> & { diagnostics: (Omit<T['diagnostics'][number], 'message'> & { message: string })[] } => ({
  ...x,
  diagnostics: x.diagnostics.map(inWords),
});

/** Why an edit was refused, in English words (undefined when it was not). */
export const refusalText = (r: { error?: Message | string }): string | undefined =>
  r.error === undefined || typeof r.error === 'string' ? r.error : formatMessage(r.error);
