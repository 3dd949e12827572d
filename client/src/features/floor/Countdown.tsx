import type { Intervention } from '@summit-bridge/protocol';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.js';
import { countdownOf, formatClock } from './floorView.js';
import { useNow } from './useNow.js';

const phaseText = {
  running: 'floor.timeLeft',
  warning: 'floor.warning',
  overrun: 'floor.overrun',
  paused: 'floor.paused',
  untimed: 'floor.untimed',
} as const;

/** The speaker's clock: time left, a warning near the end, the overrun past it — the same on every screen. */
export function Countdown({ current, warningMs }: { current: Intervention; warningMs: number }) {
  const { t } = useTranslation();
  const { now } = useSession();
  const time = useNow(now, current.pausedAt === null);
  const { phase, shownMs } = countdownOf(current, warningMs, time);
  const clock = formatClock(phase === 'overrun' ? -Math.abs(shownMs) : shownMs);
  return (
    <div className={`countdown countdown--${phase}`} role="timer" aria-label={t('floor.timer')}>
      <span className="countdown__clock" aria-hidden="true">
        {clock}
      </span>
      <span className="countdown__text">{t(phaseText[phase], { time: clock.replace('+', '') })}</span>
    </div>
  );
}
