import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../i18n/LanguageSwitch.js';
import type { TokenProblem } from './me.js';

/** One clear screen per reason a link does not work, with what to do about it. */
export function TokenProblemScreen({
  problem,
  message,
  onRetry,
}: {
  problem: TokenProblem;
  message: string;
  onRetry?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <main className="screen screen--problem">
      <LanguageSwitch />
      <h1>{t(`problem.${problem}.title`)}</h1>
      <p className="screen__lead">{t(`problem.${problem}.body`, { message })}</p>
      {onRetry && (problem === 'unreachable' || problem === 'refused') && (
        <button type="button" className="button button--primary" onClick={onRetry}>
          {t('problem.retry')}
        </button>
      )}
    </main>
  );
}
