// One session as a pure state machine — status, floor, speakers list, timer, tour de table,
// microphone policy and mutes: (state, command, actor, now) -> (state, events). No I/O and no
// clock: the caller passes `now`; the same inputs always give the same output.

import {
  type Action,
  type AuditEntry,
  can,
  type ErrorCode,
  elapsedMs,
  type FloorState,
  type Intervention,
  isChairRole,
  type MicPolicy,
  type RecordingStopReason,
  type RequestKind,
  type Role,
  remainingMs,
  type Session,
  type SessionInterpretation,
  type SessionState,
  type SessionStatus,
  type SpeakerRequest,
  warningLeadMs,
} from '@summit-bridge/protocol';
import {
  applyBoothCommand,
  type BoothCommand,
  type BoothEvent,
  initialBooths,
  isBoothCommand,
} from './booths.js';

/** Who issues a command: a participant speaking for a delegation (or none), in a role. */
export interface Actor {
  participantId: string;
  delegation: string | null;
  role: Role;
  /** An interpreter's booth (the language it interprets into). */
  booth?: string | null | undefined;
}

/** What the engine needs to know about the session beyond its state. */
export interface SessionContext {
  sessionId: string;
  /** The participating delegations, in precedence order. */
  delegations: string[];
  chairs: string[];
  /** The session's interpretation, if it has any: its booths exist in the state. */
  interpretation?: SessionInterpretation | null | undefined;
}

export type SessionCommand =
  | BoothCommand
  | { type: 'request'; kind: RequestKind }
  | { type: 'withdraw' }
  | { type: 'pass' }
  | { type: 'give'; delegation?: string | undefined }
  | { type: 'takeBack' }
  | { type: 'move'; delegation: string; position: number }
  | { type: 'remove'; delegation: string }
  | { type: 'setLimit'; limitSec: number | null; scope: 'current' | 'default' }
  | { type: 'pauseTimer' }
  | { type: 'resumeTimer' }
  | { type: 'startTour' }
  | { type: 'nextInTour' }
  | { type: 'endTour' }
  | { type: 'setMicPolicy'; policy: MicPolicy }
  | { type: 'mute'; delegation: string; muted: boolean }
  | { type: 'allowPresenter'; delegation: string; allowed: boolean }
  | { type: 'setStatus'; status: 'open' | 'suspended' | 'closed' }
  /** The id is the caller's: the machine has no randomness. */
  | { type: 'startRecording'; recordingId: string }
  | { type: 'stopRecording'; reason: RecordingStopReason }
  /** Marks the timer's warning and overrun once due; sent by the server's timer, idempotent. */
  | { type: 'tick' };

type InterventionKind = Intervention['kind'];

/** What happened, for pushes and the audit trail. `by` is null when the server itself acted. */
export type DomainEvent = { at: number; by: Actor | null } & (
  | { type: 'floorRequested'; delegation: string; kind: RequestKind; position: number }
  | { type: 'requestWithdrawn'; delegation: string }
  | { type: 'requestRemoved'; delegation: string }
  | { type: 'requestMoved'; delegation: string; position: number }
  | { type: 'floorGiven'; delegation: string; kind: InterventionKind; limitMs: number | null }
  | {
      type: 'interventionEnded';
      delegation: string;
      kind: InterventionKind;
      elapsedMs: number;
      overran: boolean;
    }
  | { type: 'limitChanged'; scope: 'current' | 'default'; limitMs: number | null }
  | { type: 'timerPaused'; delegation: string }
  | { type: 'timerResumed'; delegation: string }
  | { type: 'timerWarning'; delegation: string }
  | { type: 'timerOverrun'; delegation: string }
  | { type: 'tourStarted'; order: string[] }
  | { type: 'tourPassed'; delegation: string }
  | { type: 'tourEnded'; completed: boolean }
  | { type: 'micPolicyChanged'; policy: MicPolicy }
  | { type: 'muteChanged'; delegation: string; muted: boolean }
  | { type: 'presenterAllowed'; delegation: string; allowed: boolean }
  | { type: 'statusChanged'; from: SessionStatus; to: SessionStatus }
  | { type: 'recordingStarted'; recordingId: string }
  | { type: 'recordingStopped'; recordingId: string; reason: RecordingStopReason; durationMs: number }
  | BoothEvent
);

export type DomainError = { code: ErrorCode; message: string };
export type CommandResult =
  | { ok: true; state: SessionState; events: DomainEvent[] }
  | { ok: false; error: DomainError };

/** The warning shows 30 s before the limit (at most a fifth of a short limit: `warningLeadMs`). */
export const DEFAULT_WARNING_MS = 30_000;

export function initialSessionState(sessionId: string, session: Session): SessionState {
  return {
    sessionId,
    version: 0,
    status: session.status,
    floor: {
      micPolicy: 'floor',
      speakersList: [],
      current: null,
      defaultLimitMs: session.speakingLimitSec === undefined ? null : session.speakingLimitSec * 1000,
      warningMs: DEFAULT_WARNING_MS,
      speakingTimeMs: {},
      tour: null,
      muted: [],
      presenters: [],
    },
    booths: { ...initialBooths(session.interpretation) },
    recording: null,
  };
}

// The permission each command needs, from the one table in protocol.
const actionOf = {
  request: 'floor.request',
  withdraw: 'floor.withdraw',
  pass: 'floor.pass',
  give: 'floor.give',
  takeBack: 'floor.takeBack',
  move: 'floor.reorder',
  remove: 'floor.reorder',
  setLimit: 'floor.timer',
  pauseTimer: 'floor.timer',
  resumeTimer: 'floor.timer',
  startTour: 'floor.tour',
  nextInTour: 'floor.tour',
  endTour: 'floor.tour',
  setMicPolicy: 'floor.micPolicy',
  mute: 'floor.mute',
  allowPresenter: 'presentation.control',
  setStatus: 'session.control',
  startRecording: 'recording.control',
  stopRecording: 'recording.control',
  takeOver: 'interpretation.interpret',
  handOver: 'interpretation.interpret',
  cough: 'interpretation.interpret',
  setBoothInput: 'interpretation.interpret',
} as const satisfies Record<Exclude<SessionCommand['type'], 'tick' | 'interpreterLeft'>, Action>;

/** Commands a delegation issues for itself; every other command but `tick` is the chair's. */
const delegationCommands = new Set<SessionCommand['type']>(['request', 'withdraw', 'pass']);

const statusTransitions: Record<SessionStatus, readonly SessionStatus[]> = {
  scheduled: ['open'],
  open: ['suspended', 'closed'],
  suspended: ['open', 'closed'],
  closed: [],
};

/** A rejected command: nothing changes. */
class Refusal {
  constructor(readonly error: DomainError) {}
}
const refuse = (code: ErrorCode, message: string) => new Refusal({ code, message });

/** One command being applied: the events it emits and the facts every rule needs. */
interface Step {
  readonly ctx: SessionContext;
  readonly now: number;
  readonly by: Actor | null;
  emit(event: DistributiveOmit<DomainEvent, 'at' | 'by'>): void;
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export function applyCommand(
  state: SessionState,
  command: SessionCommand,
  actor: Actor | null,
  ctx: SessionContext,
  now: number,
): CommandResult {
  const events: DomainEvent[] = [];
  const step: Step = {
    ctx,
    now,
    by: actor,
    emit: (event) => events.push({ ...event, at: now, by: actor } as DomainEvent),
  };
  const refusal = checkActor(command, actor, ctx);
  if (refusal) return { ok: false, error: refusal.error };
  const next = run(state, command, step);
  if (next instanceof Refusal) return { ok: false, error: next.error };
  if (next === state) return { ok: true, state, events: [] };
  return { ok: true, state: { ...next, version: state.version + 1 }, events };
}

/** A chair's token is for a delegation: it chairs the session only if that delegation does. */
export function chairsSession(actor: Actor, ctx: SessionContext): boolean {
  return isChairRole(actor.role) && actor.delegation !== null && ctx.chairs.includes(actor.delegation);
}

/** The rules about who may issue a command that need the session: the permission table is the base. */
function checkActor(command: SessionCommand, actor: Actor | null, ctx: SessionContext): Refusal | null {
  if (command.type === 'tick') return null;
  if (command.type === 'interpreterLeft')
    return actor === null ? null : refuse('forbidden', 'only the server reports a departure');
  if (isBoothCommand(command) && (actor === null || !actor.booth))
    return refuse('forbidden', 'only an interpreter in a booth of this session works a booth');
  const forDelegation = delegationCommands.has(command.type);
  if (actor === null)
    return forDelegation ? refuse('forbidden', 'only a delegation can speak for itself') : null;
  const action = actionOf[command.type];
  if (!can(actor.role, action)) return refuse('forbidden', `a ${actor.role} may not ${action}`);
  if (isChairRole(actor.role) && !chairsSession(actor, ctx))
    return refuse('forbidden', 'your delegation does not chair this session');
  if (forDelegation && (actor.delegation === null || !ctx.delegations.includes(actor.delegation)))
    return refuse('forbidden', 'your delegation does not take part in this session');
  return null;
}

function run(s: SessionState, c: SessionCommand, step: Step): SessionState | Refusal {
  if (s.status === 'closed' && c.type !== 'tick' && c.type !== 'setStatus')
    return refuse('conflict', 'the session is closed');
  // The actor's delegation is checked by checkActor for the commands a delegation issues.
  const own = step.by?.delegation ?? '';
  if (isBoothCommand(c)) return booth(s, c, step);
  switch (c.type) {
    case 'request':
      return request(s, own, c.kind, step);
    case 'withdraw':
      return withdraw(s, own, step);
    case 'pass':
      return pass(s, own, step);
    case 'give':
      return give(s, c.delegation, step);
    case 'takeBack':
      return needs(s, ['open', 'suspended'], 'take back the floor') ?? endIntervention(s, step);
    case 'move':
      return move(s, c.delegation, c.position, step);
    case 'remove':
      return remove(s, c.delegation, step);
    case 'setLimit':
      return setLimit(s, c.limitSec, c.scope, step);
    case 'pauseTimer':
      return pauseTimer(s, step);
    case 'resumeTimer':
      return resumeTimer(s, step);
    case 'startTour':
      return startTour(s, step);
    case 'nextInTour':
      return nextInTour(s, step);
    case 'endTour':
      return endTour(s, step);
    case 'setMicPolicy':
      return setMicPolicy(s, c.policy, step);
    case 'mute':
      return mute(s, c.delegation, c.muted, step);
    case 'allowPresenter':
      return allowPresenter(s, c.delegation, c.allowed, step);
    case 'setStatus':
      return setStatus(s, c.status, step);
    case 'startRecording':
      return startRecording(s, c.recordingId, step);
    case 'stopRecording':
      return stopRecording(s, c.reason, step);
    case 'tick':
      return markTimer(s, step, 'tick');
  }
}

/** A booth command, on the session's booths (those the summit document added since included). */
function booth(s: SessionState, c: BoothCommand, step: Step): SessionState | Refusal {
  const booths = { ...initialBooths(step.ctx.interpretation), ...s.booths };
  const by = step.by?.booth ? { participantId: step.by.participantId, booth: step.by.booth } : null;
  const result = applyBoothCommand(booths, c, by, step.now);
  if (!result.ok) return new Refusal(result.error);
  if (result.events.length === 0 && result.booths === booths) return s;
  for (const event of result.events) step.emit(event);
  return { ...s, booths: result.booths };
}

function needs(s: SessionState, statuses: SessionStatus[], what: string): Refusal | null {
  return statuses.includes(s.status)
    ? null
    : refuse('conflict', `cannot ${what} while the session is ${s.status}`);
}

const withFloor = (s: SessionState, floor: Partial<FloorState>): SessionState => ({
  ...s,
  floor: { ...s.floor, ...floor },
});

function inSession(delegation: string, step: Step): Refusal | null {
  return step.ctx.delegations.includes(delegation)
    ? null
    : refuse('not_found', `delegation ${delegation} does not take part in this session`);
}

/** Where a new request goes: points of order first, then rights of reply, then everyone else. */
function insertionIndex(list: SpeakerRequest[], kind: RequestKind): number {
  if (kind === 'speak') return list.length;
  const ahead: RequestKind[] =
    kind === 'point_of_order' ? ['point_of_order'] : ['point_of_order', 'right_of_reply'];
  const index = list.findIndex((r) => !ahead.includes(r.kind));
  return index === -1 ? list.length : index;
}

function request(s: SessionState, delegation: string, kind: RequestKind, step: Step): SessionState {
  const list = s.floor.speakersList;
  if (list.some((r) => r.delegation === delegation && r.kind === kind)) return s;
  // A delegation is on the list once: asking again in another kind replaces its request.
  const others = list.filter((r) => r.delegation !== delegation);
  const position = insertionIndex(others, kind);
  const speakersList = [
    ...others.slice(0, position),
    { delegation, kind, requestedAt: step.now },
    ...others.slice(position),
  ];
  step.emit({ type: 'floorRequested', delegation, kind, position });
  return withFloor(s, { speakersList });
}

function withdraw(s: SessionState, delegation: string, step: Step): SessionState {
  if (!s.floor.speakersList.some((r) => r.delegation === delegation)) return s;
  step.emit({ type: 'requestWithdrawn', delegation });
  return withFloor(s, { speakersList: s.floor.speakersList.filter((r) => r.delegation !== delegation) });
}

function remove(s: SessionState, delegation: string, step: Step): SessionState {
  if (!s.floor.speakersList.some((r) => r.delegation === delegation)) return s;
  step.emit({ type: 'requestRemoved', delegation });
  return withFloor(s, { speakersList: s.floor.speakersList.filter((r) => r.delegation !== delegation) });
}

function move(s: SessionState, delegation: string, position: number, step: Step): SessionState | Refusal {
  const list = s.floor.speakersList;
  const from = list.findIndex((r) => r.delegation === delegation);
  const entry = list[from];
  if (entry === undefined) return refuse('not_found', `delegation ${delegation} is not on the speakers list`);
  if (!Number.isInteger(position) || position < 0)
    return refuse('invalid_payload', 'position must be a whole number from 0');
  const to = Math.min(position, list.length - 1);
  if (to === from) return s;
  const rest = list.filter((_, i) => i !== from);
  step.emit({ type: 'requestMoved', delegation, position: to });
  return withFloor(s, { speakersList: [...rest.slice(0, to), entry, ...rest.slice(to)] });
}

/** Ends the intervention in progress, if any, and books its time to the delegation. */
function endIntervention(s: SessionState, step: Step): SessionState {
  const current = s.floor.current;
  if (current === null) return s;
  const spoken = elapsedMs(current, step.now);
  step.emit({
    type: 'interventionEnded',
    delegation: current.delegation,
    kind: current.kind,
    elapsedMs: spoken,
    // The record is right even if no tick came between the overrun and the end.
    overran: current.overran || dueMarks(current, s.floor.warningMs, step.now).overran,
  });
  const before = s.floor.speakingTimeMs[current.delegation] ?? 0;
  return withFloor(s, {
    current: null,
    speakingTimeMs: { ...s.floor.speakingTimeMs, [current.delegation]: before + spoken },
  });
}

/** Ends any intervention and gives the floor to `delegation`, timed with the default limit. */
function startIntervention(
  s: SessionState,
  delegation: string,
  kind: InterventionKind,
  step: Step,
): SessionState {
  const ended = endIntervention(s, step);
  const current: Intervention = {
    delegation,
    kind,
    startedAt: step.now,
    limitMs: ended.floor.defaultLimitMs,
    pausedAt: null,
    pausedMs: 0,
    warned: false,
    overran: false,
  };
  step.emit({ type: 'floorGiven', delegation, kind, limitMs: current.limitMs });
  return withFloor(ended, { current });
}

function give(s: SessionState, named: string | undefined, step: Step): SessionState | Refusal {
  const refusal =
    needs(s, ['open'], 'give the floor') ??
    (s.floor.tour ? refuse('conflict', 'a tour de table is running: end it first') : null) ??
    (named === undefined ? null : inSession(named, step));
  if (refusal) return refusal;
  const list = s.floor.speakersList;
  const queued = named === undefined ? list[0] : list.find((r) => r.delegation === named);
  const delegation = queued?.delegation ?? named;
  if (delegation === undefined) return refuse('conflict', 'the speakers list is empty');
  if (queued === undefined && s.floor.current?.delegation === delegation) return s;
  const withoutRequest = withFloor(s, { speakersList: list.filter((r) => r.delegation !== delegation) });
  // A delegation called without having asked speaks at the chair's invitation.
  return startIntervention(withoutRequest, delegation, queued?.kind ?? 'chair', step);
}

function setLimit(
  s: SessionState,
  limitSec: number | null,
  scope: 'current' | 'default',
  step: Step,
): SessionState | Refusal {
  if (limitSec !== null && !(Number.isInteger(limitSec) && limitSec > 0))
    return refuse('invalid_payload', 'limitSec must be a positive whole number of seconds or null');
  const limitMs = limitSec === null ? null : limitSec * 1000;
  if (scope === 'default') {
    if (s.floor.defaultLimitMs === limitMs) return s;
    step.emit({ type: 'limitChanged', scope, limitMs });
    return withFloor(s, { defaultLimitMs: limitMs });
  }
  const current = s.floor.current;
  if (current === null) return refuse('conflict', 'nobody holds the floor');
  if (current.limitMs === limitMs) return s;
  step.emit({ type: 'limitChanged', scope, limitMs });
  // A new limit can lift a warning or an overrun: the marks are recomputed, not only added.
  return markTimer(withFloor(s, { current: { ...current, limitMs } }), step, 'recompute');
}

/**
 * Marks the warning and overrun that are due at `now`. A tick only adds marks; a new limit
 * recomputes them. Paused time does not count, so nothing falls due while paused.
 */
function markTimer(s: SessionState, step: Step, mode: 'tick' | 'recompute'): SessionState {
  const current = s.floor.current;
  if (current === null) return s;
  const due = dueMarks(current, s.floor.warningMs, step.now);
  const warned = due.warned || (mode === 'tick' && current.warned);
  const overran = due.overran || (mode === 'tick' && current.overran);
  if (warned === current.warned && overran === current.overran) return s;
  if (warned && !current.warned) step.emit({ type: 'timerWarning', delegation: current.delegation });
  if (overran && !current.overran) step.emit({ type: 'timerOverrun', delegation: current.delegation });
  return withFloor(s, { current: { ...current, warned, overran } });
}

function dueMarks(current: Intervention, warningMs: number, now: number) {
  const left = remainingMs(current, now);
  if (left === null || current.limitMs === null) return { warned: false, overran: false };
  return { warned: left <= warningLeadMs(current.limitMs, warningMs), overran: left < 0 };
}

function pauseTimer(s: SessionState, step: Step): SessionState | Refusal {
  const refusal = needs(s, ['open', 'suspended'], 'pause the timer');
  if (refusal) return refusal;
  if (s.floor.current === null) return refuse('conflict', 'nobody holds the floor');
  return pause(s, step);
}

/** Stops the clock of the intervention in progress, first marking what fell due before. */
function pause(s: SessionState, step: Step): SessionState {
  const marked = markTimer(s, step, 'tick');
  const current = marked.floor.current;
  if (current === null || current.pausedAt !== null) return marked;
  step.emit({ type: 'timerPaused', delegation: current.delegation });
  return withFloor(marked, { current: { ...current, pausedAt: step.now } });
}

function resumeTimer(s: SessionState, step: Step): SessionState | Refusal {
  const refusal = needs(s, ['open'], 'resume the timer');
  if (refusal) return refusal;
  const current = s.floor.current;
  if (current === null) return refuse('conflict', 'nobody holds the floor');
  if (current.pausedAt === null) return s;
  step.emit({ type: 'timerResumed', delegation: current.delegation });
  // Clocks of two servers may disagree: a pause never counts as negative time.
  const pausedMs = current.pausedMs + Math.max(0, Math.round(step.now - current.pausedAt));
  return withFloor(s, { current: { ...current, pausedAt: null, pausedMs } });
}

function startTour(s: SessionState, step: Step): SessionState | Refusal {
  const refusal =
    needs(s, ['open'], 'start a tour de table') ??
    (s.floor.tour ? refuse('conflict', 'a tour de table is already running') : null);
  if (refusal) return refusal;
  const order = [...step.ctx.delegations];
  const first = order[0];
  if (first === undefined) return refuse('conflict', 'the session has no delegations');
  step.emit({ type: 'tourStarted', order });
  const started = withFloor(s, { tour: { order, position: 0, passed: [] } });
  return startIntervention(started, first, 'tour', step);
}

/** Ends the turn in the tour and gives the floor to the next delegation, or ends the tour after the last. */
function advanceTour(s: SessionState, step: Step): SessionState {
  const tour = s.floor.tour;
  if (tour === null) return s;
  const position = tour.position + 1;
  const next = tour.order[position];
  if (next === undefined) {
    const ended = endIntervention(s, step);
    step.emit({ type: 'tourEnded', completed: true });
    return withFloor(ended, { tour: null });
  }
  return startIntervention(withFloor(s, { tour: { ...tour, position } }), next, 'tour', step);
}

function nextInTour(s: SessionState, step: Step): SessionState | Refusal {
  const refusal =
    needs(s, ['open'], 'move the tour de table on') ??
    (s.floor.tour ? null : refuse('conflict', 'no tour de table is running'));
  return refusal ?? advanceTour(s, step);
}

function pass(s: SessionState, delegation: string, step: Step): SessionState | Refusal {
  const tour = s.floor.tour;
  const refusal =
    needs(s, ['open'], 'pass') ?? (tour ? null : refuse('conflict', 'no tour de table is running'));
  if (refusal || tour === null) return refusal ?? s;
  const turn = tour.order[tour.position];
  if (turn !== delegation) return refuse('conflict', `it is ${turn}'s turn, not ${delegation}'s`);
  step.emit({ type: 'tourPassed', delegation });
  return advanceTour(withFloor(s, { tour: { ...tour, passed: [...tour.passed, delegation] } }), step);
}

function endTour(s: SessionState, step: Step): SessionState | Refusal {
  const refusal = needs(s, ['open', 'suspended'], 'end a tour de table');
  if (refusal) return refusal;
  if (s.floor.tour === null) return s;
  const ended = s.floor.current?.kind === 'tour' ? endIntervention(s, step) : s;
  step.emit({ type: 'tourEnded', completed: false });
  return withFloor(ended, { tour: null });
}

function setMicPolicy(s: SessionState, policy: MicPolicy, step: Step): SessionState {
  if (s.floor.micPolicy === policy) return s;
  step.emit({ type: 'micPolicyChanged', policy });
  return withFloor(s, { micPolicy: policy });
}

function mute(s: SessionState, delegation: string, muted: boolean, step: Step): SessionState | Refusal {
  const refusal = inSession(delegation, step);
  if (refusal) return refusal;
  if (s.floor.muted.includes(delegation) === muted) return s;
  step.emit({ type: 'muteChanged', delegation, muted });
  return withFloor(s, {
    muted: muted ? [...s.floor.muted, delegation] : s.floor.muted.filter((d) => d !== delegation),
  });
}

/** The chair lets a delegation present without the floor; the floor holder needs no allowance. */
function allowPresenter(
  s: SessionState,
  delegation: string,
  allowed: boolean,
  step: Step,
): SessionState | Refusal {
  const refusal = inSession(delegation, step);
  if (refusal) return refusal;
  if (s.floor.presenters.includes(delegation) === allowed) return s;
  step.emit({ type: 'presenterAllowed', delegation, allowed });
  return withFloor(s, {
    presenters: allowed
      ? [...s.floor.presenters, delegation]
      : s.floor.presenters.filter((d) => d !== delegation),
  });
}

/** A session records while it runs (a suspension included); one recording at a time. */
function startRecording(s: SessionState, recordingId: string, step: Step): SessionState | Refusal {
  const refusal = needs(s, ['open', 'suspended'], 'record');
  if (refusal) return refusal;
  if (s.recording) return refuse('conflict', 'the session is already being recorded');
  step.emit({ type: 'recordingStarted', recordingId });
  return { ...s, recording: { id: recordingId, startedAt: step.now, by: step.by?.delegation ?? null } };
}

function stopRecording(s: SessionState, reason: RecordingStopReason, step: Step): SessionState {
  if (!s.recording) return s;
  const { id, startedAt } = s.recording;
  step.emit({ type: 'recordingStopped', recordingId: id, reason, durationMs: step.now - startedAt });
  return { ...s, recording: null };
}

function setStatus(s: SessionState, status: SessionStatus, step: Step): SessionState | Refusal {
  if (s.status === status) return s;
  if (!statusTransitions[s.status].includes(status))
    return refuse('conflict', `a ${s.status} session cannot become ${status}`);
  step.emit({ type: 'statusChanged', from: s.status, to: status });
  const moved = { ...s, status };
  // The speaker keeps the floor and the time left; the chair resumes the timer after reopening.
  if (status === 'suspended') return pause(moved, step);
  if (status === 'closed') {
    const ended = endIntervention(stopRecording(moved, 'sessionClosed', step), step);
    if (ended.floor.tour) step.emit({ type: 'tourEnded', completed: false });
    return withFloor(ended, { tour: null, speakersList: [], presenters: [] });
  }
  return moved;
}

/** The earliest time at which a `tick` would change the state, or null if none will. */
export function nextTimerDeadline(state: SessionState): number | null {
  const current = state.floor.current;
  if (current === null || current.limitMs === null || current.pausedAt !== null) return null;
  const end = current.startedAt + current.pausedMs + current.limitMs;
  if (!current.warned) return end - warningLeadMs(current.limitMs, state.floor.warningMs);
  // Overrun means strictly past the limit; times are whole milliseconds.
  if (!current.overran) return end + 1;
  return null;
}

/** The audit-trail record of a domain event (the store assigns the id). */
export function auditEntry(sessionId: string, event: DomainEvent): Omit<AuditEntry, 'id'> {
  const { type, at, by, ...rest } = event;
  const { delegation = null, ...detail }: { delegation?: string | null } & Record<string, unknown> = rest;
  return { at, sessionId, type, actor: by, delegation, detail };
}
