import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.js';
import { BoothMessages } from './BoothMessages.js';
import { useLanguageName } from './languageName.js';

/** For technicians: every booth of the session, who is on air, its input, its interpreters, their texts. */
export function BoothMonitor() {
  const { t } = useTranslation();
  const { live, desk } = useSession();
  const nameOf = useLanguageName();
  const heading = useId();
  const interpretation = live.session.interpretation;
  if (!interpretation) return null;
  const people = live.presence.participants;
  const name = (id: string) => people.find((p) => p.participantId === id)?.name ?? id;
  return (
    <section className="panel booths" aria-labelledby={heading}>
      <h2 id={heading}>{t('interpretation.booths')}</h2>
      <ul className="booths__list">
        {interpretation.booths.map((language) => {
          const booth = live.state.booths[language];
          const staff = people.filter((p) => p.booth === language).map((p) => p.name);
          return (
            <li key={language}>
              <strong>{t('interpretation.boothOf', { language: nameOf(language) })}</strong>{' '}
              {!booth || booth.live === null
                ? t('interpretation.nobodyLive')
                : booth.coughing
                  ? `${t('interpretation.liveIs', { name: name(booth.live) })} · ${t('interpretation.cough')}`
                  : t('interpretation.liveIs', { name: name(booth.live) })}{' '}
              <span className="tag">
                {t('interpretation.boothInput', {
                  input:
                    !booth || booth.input === 'floor'
                      ? t('interpretation.floor')
                      : t('interpretation.boothOf', { language: nameOf(booth.input) }),
                })}
              </span>{' '}
              {staff.length > 0 && <span className="muted">{staff.join(', ')}</span>}
            </li>
          );
        })}
      </ul>
      {desk && <BoothMessages desk={desk} booths={interpretation.booths} />}
    </section>
  );
}
