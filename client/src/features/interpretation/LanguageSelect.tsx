import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../shared/store.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import type { InterpretationDesk } from './InterpretationDesk.js';
import { useLanguageName } from './languageName.js';
import { floorLanguage } from './mix.js';

/** The listener's choice: the floor, or a language with the floor underneath at its own level. */
export function LanguageSelect({ desk }: { desk: InterpretationDesk }) {
  const { t } = useTranslation();
  const { live } = useSession();
  const nameOf = useLanguageName();
  const delegationName = useDelegationName();
  const { channel, floorLevel } = useStore(desk.store);
  const select = useId();
  const level = useId();
  const interpretation = live.session.interpretation;
  if (!interpretation) return null;
  const chosen = channel !== 'floor' && interpretation.booths.includes(channel) ? channel : 'floor';
  const spoken = floorLanguage(live.state, live.delegations, live.session);
  const booth = chosen === 'floor' ? undefined : live.state.booths[chosen];
  const holder = live.state.floor.current?.delegation;
  return (
    <div className="language">
      <label htmlFor={select}>{t('interpretation.language')}</label>
      <select id={select} value={chosen} onChange={(e) => void desk.listen(e.target.value)}>
        <option value="floor">
          {t('interpretation.floorIn', { language: nameOf(interpretation.floor) })}
        </option>
        {interpretation.booths.map((language) => (
          <option key={language} value={language}>
            {nameOf(language)}
          </option>
        ))}
      </select>
      {chosen !== 'floor' && (
        <>
          <label htmlFor={level}>{t('interpretation.floorLevel')}</label>
          <input
            id={level}
            type="range"
            min={0}
            max={100}
            step={5}
            value={Math.round(floorLevel * 100)}
            onChange={(e) => desk.setFloorLevel(Number(e.target.value) / 100)}
          />
          <output htmlFor={level}>{Math.round(floorLevel * 100)} %</output>
          <p className="language__note" role="status">
            {spoken === chosen
              ? t('interpretation.direct', { language: nameOf(chosen) })
              : booth && booth.live === null && holder
                ? t('interpretation.silent', { language: nameOf(chosen) })
                : null}
          </p>
          {holder && spoken && spoken !== chosen && (
            <p className="visually-hidden">
              {t('interpretation.speaker', { delegation: delegationName(holder), language: nameOf(spoken) })}
            </p>
          )}
        </>
      )}
    </div>
  );
}
