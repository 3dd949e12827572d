import type { MicPolicy } from '@summit-bridge/protocol';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Flag } from '../../flags/Flag.js';
import { formatClock } from '../floor/floorView.js';
import { seatsOf } from '../gallery/seats.js';
import { RecordingControls } from '../recording/RecordingControls.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import { type ChairShortcut, chairKeys, useChairShortcuts } from './shortcuts.js';

function Group({ title, children }: { title: string; children: ReactNode }) {
  const heading = useId();
  return (
    <section className="chair__group" aria-labelledby={heading}>
      <h3 id={heading}>{title}</h3>
      {children}
    </section>
  );
}

/** The chair's controls: the floor, the timer, the tour de table, microphones, the session, its recording. */
export function ChairPanel() {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const heading = useId();
  const floor = live.state.floor;
  const current = floor.current;

  const actions: Record<ChairShortcut, () => void> = {
    giveNext: () => {
      if (floor.speakersList.length > 0) void request('floor:give', {});
    },
    takeBack: () => {
      if (current) void request('floor:takeBack', {});
    },
    timer: () => {
      if (current) void request(current.pausedAt === null ? 'floor:pauseTimer' : 'floor:resumeTimer', {});
    },
    tour: () => void request(floor.tour ? 'floor:nextInTour' : 'floor:startTour', {}),
  };
  useChairShortcuts(actions);

  return (
    <section className="panel chair" aria-labelledby={heading}>
      <h2 id={heading}>{t('chair.region')}</h2>
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          aria-keyshortcuts={chairKeys.giveNext}
          disabled={floor.speakersList.length === 0}
          onClick={actions.giveNext}
        >
          {t('chair.giveNext')}
        </button>
        <button
          type="button"
          className="button"
          aria-keyshortcuts={chairKeys.takeBack}
          disabled={!current}
          onClick={actions.takeBack}
        >
          {t('chair.takeBack')}
        </button>
      </div>
      <TimerControls onPauseResume={actions.timer} />
      <Group title={t('chair.tour')}>
        <div className="button-row">
          {floor.tour === null ? (
            <button
              type="button"
              className="button"
              aria-keyshortcuts={chairKeys.tour}
              onClick={actions.tour}
            >
              {t('chair.startTour')}
            </button>
          ) : (
            <>
              <button
                type="button"
                className="button"
                aria-keyshortcuts={chairKeys.tour}
                onClick={actions.tour}
              >
                {t('chair.nextInTour')}
              </button>
              <button type="button" className="button" onClick={() => void request('floor:endTour', {})}>
                {t('chair.endTour')}
              </button>
            </>
          )}
        </div>
      </Group>
      <MicPolicySwitch />
      <SessionStatusControls />
      <RecordingControls className="chair__group" />
      <DelegationsList />
      <ShortcutList />
    </section>
  );
}

function TimerControls({ onPauseResume }: { onPauseResume: () => void }) {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const floor = live.state.floor;
  const current = floor.current;
  const [seconds, setSeconds] = useState(() => String((floor.defaultLimitMs ?? 180_000) / 1000));
  const [scope, setScope] = useState<'current' | 'default'>('current');
  const inputId = useId();
  const scopeName = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const limitSec = Number.parseInt(seconds, 10);
    if (Number.isFinite(limitSec)) void request('floor:setLimit', { limitSec, scope });
  };

  return (
    <Group title={t('chair.timer')}>
      <p className="hint">
        {floor.defaultLimitMs === null
          ? t('chair.noDefaultLimit')
          : t('chair.currentLimit', { limit: formatClock(floor.defaultLimitMs) })}
      </p>
      <form className="timer-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={inputId}>{t('chair.limitSeconds')}</label>
          <input
            id={inputId}
            type="number"
            min={10}
            max={3600}
            step={10}
            required
            value={seconds}
            onChange={(e) => setSeconds(e.target.value)}
          />
        </div>
        <fieldset className="choice">
          <legend>{t('chair.scope')}</legend>
          {(['current', 'default'] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name={scopeName}
                value={value}
                checked={scope === value}
                onChange={() => setScope(value)}
              />
              {value === 'current' ? t('chair.scopeCurrent') : t('chair.scopeDefault')}
            </label>
          ))}
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button">
            {t('chair.setLimit')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void request('floor:setLimit', { limitSec: null, scope })}
          >
            {t('chair.noLimit')}
          </button>
          <button
            type="button"
            className="button"
            aria-keyshortcuts={chairKeys.timer}
            disabled={!current}
            onClick={onPauseResume}
          >
            {current?.pausedAt != null ? t('chair.resumeTimer') : t('chair.pauseTimer')}
          </button>
        </div>
      </form>
    </Group>
  );
}

function MicPolicySwitch() {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const name = useId();
  const policy = live.state.floor.micPolicy;
  const options: [MicPolicy, string][] = [
    ['floor', t('chair.policyFloor')],
    ['open', t('chair.policyOpen')],
  ];
  return (
    <fieldset className="chair__group choice">
      <legend>{t('chair.micPolicy')}</legend>
      {options.map(([value, label]) => (
        <label key={value}>
          <input
            type="radio"
            name={name}
            value={value}
            checked={policy === value}
            onChange={() => void request('floor:setMicPolicy', { policy: value })}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

function SessionStatusControls() {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const [confirming, setConfirming] = useState(false);
  const status = live.state.status;
  const close = async () => {
    setConfirming(false);
    await request('session:setStatus', { status: 'closed' });
  };
  return (
    <Group title={t('chair.session')}>
      <p>{t('console.sessionStatus', { status: t(`status.${status}`) })}</p>
      <div className="button-row">
        {(status === 'scheduled' || status === 'suspended') && (
          <button
            type="button"
            className="button"
            onClick={() => void request('session:setStatus', { status: 'open' })}
          >
            {t('chair.openSession')}
          </button>
        )}
        {status === 'open' && (
          <button
            type="button"
            className="button"
            onClick={() => void request('session:setStatus', { status: 'suspended' })}
          >
            {t('chair.suspendSession')}
          </button>
        )}
        {status !== 'closed' &&
          (confirming ? (
            <>
              <button type="button" className="button button--danger" onClick={() => void close()}>
                {t('chair.confirmClose')}
              </button>
              <button type="button" className="button" onClick={() => setConfirming(false)}>
                {t('chair.cancel')}
              </button>
            </>
          ) : (
            <button type="button" className="button" onClick={() => setConfirming(true)}>
              {t('chair.closeSession')}
            </button>
          ))}
      </div>
    </Group>
  );
}

/** Every delegation with the chair's direct actions: give the floor, mute or unmute. */
function DelegationsList() {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const nameOf = useDelegationName();
  const heading = useId();
  const allowed = live.state.floor.presenters;
  return (
    <section className="chair__group" aria-labelledby={heading}>
      <h3 id={heading}>{t('chair.delegations')}</h3>
      <ul className="delegations" aria-labelledby={heading}>
        {seatsOf(live).map((seat) => {
          const code = seat.delegation.code;
          const name = nameOf(code);
          return (
            <li
              key={code}
              className={seat.connected ? 'delegations__item' : 'delegations__item delegations__item--away'}
            >
              <Flag delegation={seat.delegation} className="delegations__flag" />
              <span className="delegations__name">{name}</span>
              <span className="delegations__state">
                {seat.connected ? (seat.holdsFloor ? t('gallery.hasFloor') : '') : t('gallery.notConnected')}
              </span>
              <button
                type="button"
                className="button button--small"
                disabled={seat.holdsFloor}
                aria-label={t('chair.giveTo', { delegation: name })}
                onClick={() => void request('floor:give', { delegation: code })}
              >
                {t('chair.giveShort')}
              </button>
              <button
                type="button"
                className={seat.mutedByChair ? 'button button--small button--off' : 'button button--small'}
                aria-label={
                  seat.mutedByChair
                    ? t('chair.unmute', { delegation: name })
                    : t('chair.mute', { delegation: name })
                }
                onClick={() => void request('floor:mute', { delegation: code, muted: !seat.mutedByChair })}
              >
                {seat.mutedByChair ? t('chair.unmuteShort') : t('chair.muteShort')}
              </button>
              <button
                type="button"
                className={
                  allowed.includes(code) ? 'button button--small button--off' : 'button button--small'
                }
                aria-label={
                  allowed.includes(code)
                    ? t('presentation.disallow', { delegation: name })
                    : t('presentation.allow', { delegation: name })
                }
                onClick={() =>
                  void request('presentation:allow', { delegation: code, allowed: !allowed.includes(code) })
                }
              >
                {allowed.includes(code) ? t('presentation.disallowShort') : t('presentation.allowShort')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ShortcutList() {
  const { t } = useTranslation();
  const entries: [string, string][] = [
    [chairKeys.giveNext, t('chair.shortcut.giveNext')],
    [chairKeys.takeBack, t('chair.shortcut.takeBack')],
    [chairKeys.timer, t('chair.shortcut.timer')],
    [chairKeys.tour, t('chair.shortcut.tour')],
    ['Alt+↑ / Alt+↓', t('chair.shortcut.move')],
    ['Delete', t('chair.shortcut.remove')],
  ];
  return (
    <Group title={t('chair.shortcuts')}>
      <dl className="shortcuts">
        {entries.map(([keys, what]) => (
          <div key={keys} className="shortcuts__entry">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Group>
  );
}
