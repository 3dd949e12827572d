import type { BoothState } from '@summit-bridge/protocol';
import { type KeyboardEvent, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock } from '../floor/floorView.js';
import { useNow } from '../floor/useNow.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import { useLanguageName } from './languageName.js';
import { floorLanguage } from './mix.js';

/** The interpreter's own booth: on air or not, the handover, the cough button, its input. */
export function BoothPanel() {
  const { t } = useTranslation();
  const { live, request, now } = useSession();
  const nameOf = useLanguageName();
  const language = live.you.booth;
  const booth = language ? live.state.booths[language] : undefined;
  const me = live.you.participantId;
  const onAir = booth?.live === me;
  const time = useNow(now, onAir, 1000);
  if (!language || !booth) return null;
  const others = (live.session.interpretation?.booths ?? []).filter((l) => l !== language);

  return (
    <section className="panel booth" aria-label={t('interpretation.booth')}>
      <h2>{t('interpretation.boothOf', { language: nameOf(language) })}</h2>
      <p
        className={`booth__air ${onAir ? (booth.coughing ? 'booth__air--cough' : 'booth__air--on') : ''}`}
        role="status"
      >
        {onAir
          ? booth.coughing
            ? t('interpretation.coughing')
            : t('interpretation.onAir')
          : t('interpretation.offAir')}
      </p>
      {onAir && booth.liveSince !== null && (
        <p className="booth__shift">
          {t('interpretation.shift', { time: formatClock(time - booth.liveSince) })}
        </p>
      )}
      <HandoverLine booth={booth} me={me} />
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          disabled={onAir || (booth.handover?.kind === 'request' && booth.handover.by === me)}
          onClick={() => void request('booth:takeOver', {})}
        >
          {t('interpretation.takeOver')}
        </button>
        <button
          type="button"
          className="button"
          disabled={!onAir || booth.handover?.kind === 'offer'}
          onClick={() => void request('booth:handOver', {})}
        >
          {t('interpretation.handOver')}
        </button>
        <CoughButton disabled={!onAir} pressed={booth.coughing} />
      </div>
      <InputSelect booth={booth} others={others} />
      <SpeakerLine />
    </section>
  );
}

/** Who is on air, and the handover under way: what a boothmate must see coming. */
function HandoverLine({ booth, me }: { booth: BoothState; me: string }) {
  const { t } = useTranslation();
  const { live } = useSession();
  const name = (id: string) => live.presence.participants.find((p) => p.participantId === id)?.name ?? id;
  const handover = booth.handover;
  let line: string;
  if (handover?.kind === 'request')
    line =
      handover.by === me
        ? t('interpretation.youAsked')
        : t('interpretation.asks', { name: name(handover.by) });
  else if (handover?.kind === 'offer')
    line =
      handover.by === me
        ? t('interpretation.youOffered')
        : t('interpretation.offers', { name: name(handover.by) });
  else if (booth.live !== null) line = t('interpretation.liveIs', { name: name(booth.live) });
  else if (booth.dropped) line = t('interpretation.dropped', { name: name(booth.dropped.participantId) });
  else line = t('interpretation.nobodyLive');
  return (
    <p className="booth__who" aria-live="polite">
      {line}
    </p>
  );
}

/** Closed while held (pointer or keyboard), open again on release: a cough never goes on air. */
function CoughButton({ disabled, pressed }: { disabled: boolean; pressed: boolean }) {
  const { t } = useTranslation();
  const { request } = useSession();
  const held = useRef(false);
  const press = (on: boolean) => {
    if (held.current === on) return;
    held.current = on;
    void request('booth:cough', { on });
  };
  const key = (on: boolean) => (e: KeyboardEvent) => {
    if (e.key !== ' ' && e.key !== 'Enter') return;
    e.preventDefault();
    if (!e.repeat) press(on);
  };
  return (
    <button
      type="button"
      className="button booth__cough"
      aria-pressed={pressed}
      disabled={disabled && !held.current}
      onPointerDown={() => press(true)}
      onPointerUp={() => press(false)}
      onPointerLeave={() => press(false)}
      onPointerCancel={() => press(false)}
      onKeyDown={key(true)}
      onKeyUp={key(false)}
      onBlur={() => press(false)}
    >
      {t('interpretation.cough')}
    </button>
  );
}

/** What the booth interprets from: the floor, or another booth (relay). Shared by boothmates. */
function InputSelect({ booth, others }: { booth: BoothState; others: string[] }) {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const nameOf = useLanguageName();
  const id = useId();
  const floor = live.session.interpretation?.floor ?? '';
  return (
    <div className="booth__input">
      <label htmlFor={id}>{t('interpretation.listeningTo')}</label>
      <select
        id={id}
        value={booth.input}
        onChange={(e) => void request('booth:setInput', { input: e.target.value })}
      >
        <option value="floor">{t('interpretation.floorIn', { language: nameOf(floor) })}</option>
        {others.map((language) => (
          <option key={language} value={language}>
            {t('interpretation.boothOf', { language: nameOf(language) })}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Who speaks on the floor and in which language: what the interpreter must render. */
function SpeakerLine() {
  const { t } = useTranslation();
  const { live } = useSession();
  const nameOf = useLanguageName();
  const delegationName = useDelegationName();
  const holder = live.state.floor.current?.delegation;
  if (!holder) return <p className="booth__speaker">{t('interpretation.nobodySpeaking')}</p>;
  const language = floorLanguage(live.state, live.delegations, live.session);
  return (
    <p className="booth__speaker">
      {language
        ? t('interpretation.speaker', { delegation: delegationName(holder), language: nameOf(language) })
        : t('interpretation.speakerUnknown', { delegation: delegationName(holder) })}
    </p>
  );
}
