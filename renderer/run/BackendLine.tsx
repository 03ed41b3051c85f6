/** Which backend ran, on how many threads, how long it took, and why the backends before it were not used. */
import { useMessageText } from '../messages.ts';
import { useRunT } from './messages.ts';
import type { BackendInfo, RunSummary } from './protocol.ts';

export function BackendLine({ result }: { result: RunSummary }) {
  const t = useRunT();
  const words = useMessageText();
  const threads =
    result.threads === undefined
      ? null
      : result.threads === 1
        ? t('thread') + (result.isolated ? '' : ` (${t('notIsolated')})`)
        : t('threads', { n: result.threads });
  return (
    <div className="run-meta">
      <p aria-label="Run summary">
        {t('backend')}: <strong aria-label="backend">{result.backend}</strong>
        {threads && (
          <>
            {' · '}
            <strong aria-label="threads">{threads}</strong>
          </>
        )}{' '}
        · {t('time')}: <strong aria-label="run time">{result.ms.toFixed(0)} ms</strong> (forward{' '}
        {result.forwardMs.toFixed(0)} ms, {result.warm ? t('warmRun') : t('coldRun')}) · {result.weights} · input{' '}
        {result.input[1]}x{result.input[0]}
      </p>
      <SkippedLine skipped={result.skipped} label="Backend fallbacks" />
      {result.fallback && !result.skipped.length && <p className="run-fallback">{words(result.fallback)}</p>}
    </div>
  );
}

/** Why each backend before the one in use was not used ("not webgl: software-rendered ..."), or nothing. */
export function SkippedLine({ skipped, label }: { skipped: BackendInfo['skipped']; label: string }) {
  const t = useRunT();
  const words = useMessageText();
  if (!skipped.length) return null;
  return (
    <p className="run-fallback" aria-label={label}>
      {skipped.map((s) => t('skippedWhy', { backend: s.backend, reason: words(s.reason) })).join(' · ')}
    </p>
  );
}
