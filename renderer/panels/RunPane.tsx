/** Placeholder for the test run (the TensorFlow.js runtime lands in src/runtime, another issue). */
import { useT } from '../i18n.ts';

export function RunPane() {
  const t = useT();
  return (
    <section className="pane run" aria-label={t('run')}>
      <h2 className="pane-title">{t('run')}</h2>
      <p className="empty">{t('runPlaceholder')}</p>
    </section>
  );
}
