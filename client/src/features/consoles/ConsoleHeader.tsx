import { useTranslation } from 'react-i18next';
import { localized } from '../../i18n/index.js';
import { LanguageSwitch } from '../../i18n/LanguageSwitch.js';
import { formatSlot, viewerTimeZone } from '../../shared/time.js';
import { RecordingIndicator } from '../recording/RecordingIndicator.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';

/** Summit, session, its status and schedule in the viewer's time and the host's, who you are, recording. */
export function ConsoleHeader({ title }: { title: string }) {
  const { t, i18n } = useTranslation();
  const { live } = useSession();
  const nameOf = useDelegationName();
  const { schedule } = live.session;
  const yourZone = viewerTimeZone();
  const hostZone = live.summit.hostTimeZone;
  return (
    <header className="console__header">
      <div className="console__titles">
        <p className="console__summit">{localized(live.summit.title, i18n.language)}</p>
        <h1>{localized(live.session.title, i18n.language)}</h1>
        <p className="console__kind">{title}</p>
        <RecordingIndicator />
      </div>
      <dl className="console__facts">
        <div>
          <dt>{t('chair.session')}</dt>
          <dd className={`status status--${live.state.status}`}>{t(`status.${live.state.status}`)}</dd>
        </div>
        <div>
          <dt>{t('time.yours')}</dt>
          <dd>{formatSlot(schedule.start, schedule.end, yourZone, i18n.language)}</dd>
        </div>
        {hostZone !== yourZone && (
          <div>
            <dt>{t('time.host')}</dt>
            <dd>{formatSlot(schedule.start, schedule.end, hostZone, i18n.language)}</dd>
          </div>
        )}
        <div>
          <dt>{t('console.you', { name: live.you.name, role: t(`roles.${live.you.role}`) })}</dt>
          <dd>{live.you.delegation ? nameOf(live.you.delegation) : '—'}</dd>
        </div>
      </dl>
      <LanguageSwitch />
    </header>
  );
}
