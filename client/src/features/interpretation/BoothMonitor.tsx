import type { InterpreterSample } from '@summit-bridge/protocol';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Store, useStore } from '../../shared/store.js';
import { useNow } from '../floor/useNow.js';
import { useSession } from '../session/SessionContext.js';
import { BoothMessages } from './BoothMessages.js';
import type { DeskState } from './InterpretationDesk.js';
import { useLanguageName } from './languageName.js';

/**
 * For technicians: every booth of the session, who is on air, its input and level, its
 * interpreters with their links, their texts.
 */
export function BoothMonitor({ interpreters }: { interpreters: readonly InterpreterSample[] }) {
  const { t } = useTranslation();
  const { live, desk, now } = useSession();
  const nameOf = useLanguageName();
  const heading = useId();
  const { levels } = useStore(desk?.store ?? noLevels);
  const time = useNow(now, true, 1000);
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
          const staff = people.filter((p) => p.booth === language);
          const linkOf = (id: string) => interpreters.find((i) => i.participantId === id);
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
              <Level level={levels[language]} now={time} />{' '}
              {staff.length > 0 && (
                <ul className="booths__staff">
                  {staff.map((p) => (
                    <li key={p.participantId}>
                      {p.name} <InterpreterLink sample={linkOf(p.participantId)} />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
      {desk && <BoothMessages desk={desk} booths={interpretation.booths} />}
    </section>
  );
}

const noLevels = new Store<DeskState>({ channel: 'floor', floorLevel: 1, messages: [], levels: {} });
/** A level older than this is silence: reports come every 800 ms while anyone speaks. */
const LEVEL_FRESH_MS = 2500;

/** A booth channel's level now, as a meter from -60 dBov (silent) to 0. */
function Level({ level, now }: { level: { volume: number; at: number } | undefined; now: number }) {
  const { t } = useTranslation();
  const volume = level && now - level.at < LEVEL_FRESH_MS ? Math.max(-60, level.volume) : -60;
  return (
    <meter className="booths__level" aria-label={t('interpretation.level')} min={-60} max={0} value={volume}>
      {Math.round(volume)} dB
    </meter>
  );
}

/** An interpreter's link as the last sample saw it: state, path, round trip, loss. */
function InterpreterLink({ sample }: { sample: InterpreterSample | undefined }) {
  const { t } = useTranslation();
  if (!sample) return null;
  const { rttMs, lossInPct } = sample.values;
  const parts = [
    t(`tech.connection.${sample.connection}`),
    sample.path ?? '',
    rttMs === null ? '' : `${Math.round(rttMs)} ms`,
    lossInPct === null ? '' : `${lossInPct.toFixed(1)} %`,
  ].filter(Boolean);
  return <span className="muted">({parts.join(', ')})</span>;
}
