// Interpretation booths as pure state: who is on air in each booth, the handover between
// boothmates (one announces, the other completes), the cough button, what each booth interprets
// from (the floor, or another booth: relay, never in a circle), and a live interpreter who
// drops. No I/O and no clock; the session machine applies it inside a session's state.
import type { BoothInput, BoothState, ErrorCode, SessionInterpretation } from '@summit-bridge/protocol';

export type BoothCommand =
  | { type: 'takeOver' }
  | { type: 'handOver' }
  | { type: 'cough'; on: boolean }
  | { type: 'setBoothInput'; input: BoothInput }
  /** The server: an interpreter's last connection went away. */
  | { type: 'interpreterLeft'; participantId: string; booth: string };

export type BoothEvent =
  /** `after`: who was on air before (null: the booth was silent). */
  | { type: 'interpreterLive'; booth: string; participantId: string; after: string | null }
  | { type: 'handoverOffered'; booth: string; by: string }
  | { type: 'takeoverRequested'; booth: string; by: string }
  | { type: 'coughChanged'; booth: string; on: boolean }
  | { type: 'boothInputChanged'; booth: string; input: BoothInput }
  | { type: 'interpreterDropped'; booth: string; participantId: string };

export type Booths = Readonly<Record<string, BoothState>>;

export type BoothResult =
  | { ok: true; booths: Booths; events: BoothEvent[] }
  | { ok: false; error: { code: ErrorCode; message: string } };

/** An interpreter acting in its own booth. */
export interface Interpreter {
  participantId: string;
  booth: string;
}

export const boothCommandTypes: ReadonlySet<BoothCommand['type']> = new Set([
  'takeOver',
  'handOver',
  'cough',
  'setBoothInput',
  'interpreterLeft',
]);

export function isBoothCommand(command: { type: string }): command is BoothCommand {
  return boothCommandTypes.has(command.type as BoothCommand['type']);
}

/** Every booth silent, interpreting from the floor. */
export function initialBooths(interpretation: SessionInterpretation | null | undefined): Booths {
  const booths: Record<string, BoothState> = {};
  for (const language of interpretation?.booths ?? [])
    booths[language] = {
      language,
      input: 'floor',
      live: null,
      liveSince: null,
      coughing: false,
      handover: null,
      dropped: null,
    };
  return booths;
}

const refused = (code: ErrorCode, message: string): BoothResult => ({ ok: false, error: { code, message } });

/**
 * Applies one booth command. `by` is the interpreter acting (null for the server's own
 * `interpreterLeft`); the caller has checked that it may interpret and that its booth exists.
 */
export function applyBoothCommand(
  booths: Booths,
  command: BoothCommand,
  by: Interpreter | null,
  now: number,
): BoothResult {
  const events: BoothEvent[] = [];
  const language = command.type === 'interpreterLeft' ? command.booth : by?.booth;
  const booth = language === undefined ? undefined : booths[language];
  if (booth === undefined) return refused('not_found', `no ${language ?? ''} booth in this session`);
  const me = by?.participantId ?? '';
  const next = step(booth, command, me, booths, now, (e) => events.push(e));
  if ('error' in next) return { ok: false, error: next.error };
  if (next === booth) return { ok: true, booths, events: [] };
  return { ok: true, booths: { ...booths, [booth.language]: next }, events };
}

type Outcome = BoothState | { error: { code: ErrorCode; message: string } };

function step(
  b: BoothState,
  c: BoothCommand,
  me: string,
  booths: Booths,
  now: number,
  emit: (event: BoothEvent) => void,
): Outcome {
  switch (c.type) {
    case 'takeOver':
      return takeOver(b, me, now, emit);
    case 'handOver':
      return handOver(b, me, now, emit);
    case 'cough':
      if (b.live !== me) return { error: { code: 'conflict', message: 'you are not on air' } };
      if (b.coughing === c.on) return b;
      emit({ type: 'coughChanged', booth: b.language, on: c.on });
      return { ...b, coughing: c.on };
    case 'setBoothInput':
      return setInput(b, c.input, booths, emit);
    case 'interpreterLeft':
      return left(b, c.participantId, now, emit);
  }
}

/** `me` on air from now: whoever was live goes off, a pending handover is done. */
function goLive(b: BoothState, me: string, now: number, emit: (event: BoothEvent) => void): BoothState {
  emit({ type: 'interpreterLive', booth: b.language, participantId: me, after: b.live });
  return { ...b, live: me, liveSince: now, coughing: false, handover: null, dropped: null };
}

function takeOver(b: BoothState, me: string, now: number, emit: (event: BoothEvent) => void): Outcome {
  if (b.live === me) return b;
  // A silent booth, or the live interpreter has offered: on air at once.
  if (b.live === null || b.handover?.kind === 'offer') return goLive(b, me, now, emit);
  if (b.handover?.kind === 'request') {
    if (b.handover.by === me) return b;
    return { error: { code: 'conflict', message: 'a boothmate has already asked to take over' } };
  }
  // Someone is on air: ask, and they hand over when their sentence ends.
  emit({ type: 'takeoverRequested', booth: b.language, by: me });
  return { ...b, handover: { kind: 'request', by: me, at: now } };
}

function handOver(b: BoothState, me: string, now: number, emit: (event: BoothEvent) => void): Outcome {
  if (b.live !== me) return { error: { code: 'conflict', message: 'you are not on air' } };
  if (b.handover?.kind === 'request') return goLive(b, b.handover.by, now, emit);
  if (b.handover?.kind === 'offer') return b;
  emit({ type: 'handoverOffered', booth: b.language, by: me });
  return { ...b, handover: { kind: 'offer', by: me, at: now } };
}

/** The booths a booth's input passes through to reach the floor, itself excluded. */
export function relayChain(booths: Booths, input: BoothInput, limit = Object.keys(booths).length): string[] {
  const chain: string[] = [];
  let at = input;
  while (at !== 'floor' && chain.length <= limit) {
    chain.push(at);
    at = booths[at]?.input ?? 'floor';
  }
  return chain;
}

function setInput(
  b: BoothState,
  input: BoothInput,
  booths: Booths,
  emit: (event: BoothEvent) => void,
): Outcome {
  if (b.input === input) return b;
  if (input === b.language)
    return { error: { code: 'invalid_payload', message: 'a booth cannot interpret its own output' } };
  if (input !== 'floor' && booths[input] === undefined)
    return { error: { code: 'not_found', message: `no ${input} booth in this session` } };
  const chain = relayChain(booths, input);
  if (chain.includes(b.language))
    return {
      error: {
        code: 'conflict',
        message: `${[b.language, ...chain].join(' ← ')}: a relay must lead back to the floor, not in a circle`,
      },
    };
  emit({ type: 'boothInputChanged', booth: b.language, input });
  return { ...b, input };
}

function left(b: BoothState, who: string, now: number, emit: (event: BoothEvent) => void): Outcome {
  if (b.live === who) {
    // Silent, and the partner is told: never the floor pushed into the channel unannounced.
    emit({ type: 'interpreterDropped', booth: b.language, participantId: who });
    return {
      ...b,
      live: null,
      liveSince: null,
      coughing: false,
      handover: null,
      dropped: { participantId: who, at: now },
    };
  }
  if (b.handover?.by === who) return { ...b, handover: null };
  return b;
}

/** Whether the SFU forwards an interpreter's producer into its booth's channel: on air and not coughing. */
export function onAir(booths: Booths, booth: string, participantId: string): boolean {
  const b = booths[booth];
  return b !== undefined && b.live === participantId && !b.coughing;
}
