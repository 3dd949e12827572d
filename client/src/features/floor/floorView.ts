import {
  type FloorState,
  type Intervention,
  isChairRole,
  type ProducerInfo,
  type Role,
  remainingMs,
  elapsedMs as spokenMs,
  type TimerPhase,
  timerPhase,
} from '@summit-bridge/protocol';

/** A delegation's place in the speakers list, counted from 1; null when it has not asked. */
export function positionOf(list: FloorState['speakersList'], delegation: string | null): number | null {
  if (delegation === null) return null;
  const index = list.findIndex((r) => r.delegation === delegation);
  return index === -1 ? null : index + 1;
}

export interface Countdown {
  phase: Exclude<TimerPhase, 'none'> | 'untimed';
  /** Time left (negative once overrun), or time spoken when there is no limit. */
  shownMs: number;
}

/** The intervention's clock at server time `now`; the server's warning and overrun marks also count. */
export function countdownOf(current: Intervention, warningMs: number, now: number): Countdown {
  const left = remainingMs(current, now);
  if (left === null)
    return { phase: current.pausedAt === null ? 'untimed' : 'paused', shownMs: spokenMs(current, now) };
  const phase = timerPhase(current, warningMs, now);
  if (phase === 'paused') return { phase, shownMs: left };
  if (current.overran || phase === 'overrun') return { phase: 'overrun', shownMs: left };
  if (current.warned || phase === 'warning') return { phase: 'warning', shownMs: left };
  return { phase: 'running', shownMs: left };
}

/** m:ss, with a leading + once past the limit. */
export function formatClock(ms: number): string {
  const over = ms < 0;
  const seconds = over ? Math.ceil(-ms / 1000) : Math.ceil(ms / 1000);
  const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return over ? `+${text}` : text;
}

/** Whose turn it is in the tour de table, if one runs. */
export function tourTurn(floor: FloorState): string | null {
  return floor.tour ? (floor.tour.order[floor.tour.position] ?? null) : null;
}

/** The floor policy keeps this delegation silent: floor mode, not a chair, not the holder. */
export function closedByFloor(floor: FloorState, delegation: string | null, chairs: boolean): boolean {
  return (
    floor.micPolicy === 'floor' &&
    !chairs &&
    (delegation === null || floor.current?.delegation !== delegation)
  );
}

export type MicStatus = 'none' | 'live' | 'off' | 'mutedByChair' | 'closedByFloor' | 'closedByServer';

export interface OwnMic {
  /** This client sends a microphone at all. */
  publishing: boolean;
  pausedByYou: boolean;
  /** The server's view of that producer, once announced. */
  producer: ProducerInfo | undefined;
  floor: FloorState;
  delegation: string | null;
  role: Role;
}

/**
 * What happens to this client's microphone, and why. The server's pause is the truth; the floor
 * rules only explain it (or predict it until the server has announced the producer).
 */
export function ownMicStatus(mic: OwnMic): MicStatus {
  if (!mic.publishing) return 'none';
  if (mic.pausedByYou) return 'off';
  const muted = mic.delegation !== null && mic.floor.muted.includes(mic.delegation);
  const outsideFloor = closedByFloor(mic.floor, mic.delegation, isChairRole(mic.role));
  const reason: MicStatus = muted ? 'mutedByChair' : outsideFloor ? 'closedByFloor' : 'closedByServer';
  if (mic.producer === undefined) return reason === 'closedByServer' ? 'live' : reason;
  return mic.producer.paused ? reason : 'live';
}
