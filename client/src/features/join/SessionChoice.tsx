import type { MeResponse } from '@summit-bridge/protocol';
import { useTranslation } from 'react-i18next';
import { localized } from '../../i18n/index.js';
import { LanguageSwitch } from '../../i18n/LanguageSwitch.js';
import { formatSlot, viewerTimeZone } from '../../shared/time.js';

/** The sessions this invitation opens, with their times in the viewer's zone and the host's. */
export function SessionChoice({
  me,
  notInvited,
  onChoose,
}: {
  me: MeResponse;
  notInvited: boolean;
  onChoose: (sessionId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const yourZone = viewerTimeZone();
  return (
    <main className="screen">
      <LanguageSwitch />
      <p className="screen__kicker">{localized(me.summit.title, i18n.language)}</p>
      <h1>{t('join.chooseSession')}</h1>
      <p>{t('join.signedInAs', { name: me.participant.name, role: t(`roles.${me.participant.role}`) })}</p>
      {notInvited && <p className="screen__warning">{t('join.sessionNotInvited')}</p>}
      {me.sessions.length === 0 && <p>{t('join.noSessions')}</p>}
      <ul className="session-choice">
        {me.sessions.map((session) => {
          const title = localized(session.title, i18n.language);
          const { start, end } = session.schedule;
          return (
            <li key={session.id} className="session-choice__item">
              <div>
                <p className="session-choice__title">{title}</p>
                <p>
                  {t('time.yours')}: {formatSlot(start, end, yourZone, i18n.language)}
                </p>
                {me.summit.hostTimeZone !== yourZone && (
                  <p>
                    {t('time.host')}: {formatSlot(start, end, me.summit.hostTimeZone, i18n.language)}
                  </p>
                )}
                <p>{t(`status.${session.status}`)}</p>
              </div>
              <button type="button" className="button button--primary" onClick={() => onChoose(session.id)}>
                {t('join.join', { title })}
              </button>
            </li>
          );
        })}
      </ul>
    </main>
  );
}
