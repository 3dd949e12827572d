// The record of the meeting, drafted from a session's audit trail: attendance, interventions, the
// tour de table, documents, adoptions with their objections and withdrawals, votes — in order, with
// times in the host's time zone. Pure: the same trail gives the same record.
import type {
  AttendanceLine,
  AuditEntry,
  Delegation,
  MeetingRecord,
  RecordItem,
  RecordTime,
  VoteTally,
} from '@summit-bridge/protocol';

export interface RecordInput {
  summit: { id: string; title: string };
  session: { id: string; title: string };
  hostTimeZone: string;
  /** The session's delegations in precedence order. */
  delegations: readonly Pick<Delegation, 'code' | 'name'>[];
  /** The session's audit lines, oldest first. */
  entries: readonly AuditEntry[];
  now: number;
}

export function recordTime(at: number, timeZone: string): RecordTime {
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return { at, utc: new Date(at).toISOString(), local };
}

/** "4 min 05 s", "42 s". */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return minutes === 0 ? `${rest} s` : `${minutes} min ${String(rest).padStart(2, '0')} s`;
}

const str = (v: unknown) => (typeof v === 'string' ? v : String(v ?? ''));
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const kindPhrases: Record<string, string> = {
  speak: '',
  point_of_order: ' on a point of order',
  right_of_reply: ' in right of reply',
  chair: ' at the chair’s invitation',
};
const kindPhrase = (kind: unknown) => kindPhrases[str(kind)] ?? ` (${str(kind).replaceAll('_', ' ')})`;
const ruleNames: Record<string, string> = {
  simple: 'simple majority',
  two_thirds: 'two-thirds majority',
  unanimity: 'unanimity of those present',
};
const choiceNames: Record<string, string> = {
  yes: 'votes yes',
  no: 'votes no',
  abstain: 'abstains',
  not_participating: 'does not take part in the vote',
};

export function buildRecord(input: RecordInput): MeetingRecord {
  const name = (code: string | null) =>
    input.delegations.find((d) => d.code === code)?.name.en ?? code ?? 'the chair';
  const time = (at: number) => recordTime(at, input.hostTimeZone);
  const items: RecordItem[] = [];
  const add = (
    e: AuditEntry,
    kind: RecordItem['kind'],
    text: string,
    detail: Record<string, unknown> = e.detail,
  ) => items.push({ time: time(e.at), kind, delegation: e.delegation, text, detail });
  // The intervention under way, completed when it ends.
  let speaking: { item: RecordItem; at: number } | null = null;
  // The recording under way: an intervention points to its offset in it.
  let recording: { id: string; at: number } | null = null;

  for (const e of input.entries) {
    const d = e.detail;
    const who = name(e.delegation);
    switch (e.type) {
      case 'statusChanged':
        add(e, 'session', `The session is ${str(d.to) === 'open' ? 'opened' : str(d.to)}.`);
        break;
      case 'floorGiven': {
        add(e, 'intervention', `${who} takes the floor${kindPhrase(d.kind)}.`, {
          kind: d.kind,
          start: time(e.at),
          end: null,
          durationMs: null,
          ...(recording ? { recording: { recordingId: recording.id, offsetMs: e.at - recording.at } } : {}),
        });
        speaking = { item: items.at(-1) as RecordItem, at: e.at };
        break;
      }
      case 'interventionEnded':
        if (speaking && speaking.item.delegation === e.delegation) {
          const elapsed = num(d.elapsedMs);
          speaking.item.detail = {
            ...speaking.item.detail,
            end: time(e.at),
            durationMs: elapsed,
            overran: d.overran === true,
          };
          speaking.item.text = `${who} speaks${kindPhrase(d.kind)}, ${duration(elapsed)}${d.overran === true ? ', beyond the time limit' : ''}.`;
        }
        speaking = null;
        break;
      case 'recordingStarted':
        recording = { id: str(d.recordingId), at: e.at };
        add(e, 'recording', 'The recording of the session starts.');
        break;
      case 'recordingStopped':
        recording = null;
        add(
          e,
          'recording',
          `The recording stops${d.reason === 'diskFull' ? ' (the disk was nearly full)' : ''}, ${duration(num(d.durationMs))} recorded.`,
        );
        break;
      case 'tourStarted':
        add(
          e,
          'tour',
          `The chair opens a tour de table (${(Array.isArray(d.order) ? d.order : []).length} delegations).`,
        );
        break;
      case 'tourPassed':
        add(e, 'tour', `${who} passes in the tour de table.`);
        break;
      case 'tourEnded':
        add(
          e,
          'tour',
          d.completed === true ? 'The tour de table is completed.' : 'The chair ends the tour de table.',
        );
        break;
      case 'documentTabled':
        add(e, 'document', `Document ${str(d.symbol)} "${str(d.title)}" is tabled (${str(d.language)}).`);
        break;
      case 'documentVersionAdded':
        add(
          e,
          'document',
          `Version ${num(d.version)} of ${str(d.symbol)} is circulated (${str(d.language)}).`,
        );
        break;
      case 'documentLanguageAdded':
        add(
          e,
          'document',
          `The ${str(d.language)} text of ${str(d.symbol)} version ${num(d.version)} is circulated.`,
        );
        break;
      case 'documentShown':
        add(e, 'on_screen', `The chair shows ${str(d.symbol)} version ${num(d.version)} on screen.`);
        break;
      case 'adoptionOpened': {
        const how =
          d.mode === 'silence'
            ? `under a silence procedure until ${time(num(d.deadline)).local}`
            : `with objections received until ${time(num(d.deadline)).local}`;
        add(e, 'adoption', `The chair puts ${str(d.symbol)} version ${num(d.version)} to adoption ${how}.`);
        break;
      }
      case 'objectionRaised':
        add(e, 'objection', `${who} objects${d.reason ? `: "${str(d.reason)}"` : '.'}`);
        break;
      case 'adoptionWithdrawn':
        add(e, 'adoption', `The chair withdraws ${str(d.symbol)} version ${num(d.version)}.`);
        break;
      case 'adoptionClosed': {
        const objectors = (Array.isArray(d.objections) ? d.objections : []).map((c) => name(str(c)));
        add(
          e,
          'adoption',
          d.outcome === 'adopted'
            ? `${str(d.symbol)} version ${num(d.version)} is adopted without objection.`
            : `${str(d.symbol)} version ${num(d.version)} is not adopted: objection by ${objectors.join(', ')}.`,
        );
        break;
      }
      case 'voteCalled':
        add(
          e,
          'vote',
          `The chair calls a roll-call vote (${ruleNames[str(d.majority)] ?? str(d.majority)}): "${str(d.question)}".`,
        );
        break;
      case 'ballotCast':
        add(
          e,
          'ballot',
          `${who} ${choiceNames[str(d.choice)] ?? str(d.choice)}${d.replaced ? ' (changing its vote)' : ''}.`,
        );
        break;
      case 'voteClosed': {
        const t = d.tally as VoteTally;
        const result = !t.quorate ? 'without a quorum, not carried' : t.carried ? 'carried' : 'not carried';
        add(
          e,
          'vote',
          `Vote on "${str(d.question)}": ${t.yes} yes, ${t.no} no, ${t.abstain} abstaining, ${t.notParticipating} not participating, ${t.noBallot} without a ballot; ${result}.`,
        );
        break;
      }
    }
  }
  return {
    format: 'summit-bridge.record/1',
    summit: input.summit,
    session: input.session,
    hostTimeZone: input.hostTimeZone,
    generatedAt: time(input.now),
    attendance: attendance(input, time),
    items,
  };
}

/**
 * Per delegation, when at least one of its connections was in the session: joins and leaves, by
 * connection. An instance that died without a word (`instanceLost`, written by a survivor) left
 * no leave lines: its connections are closed when it was last seen alive.
 */
function attendance(input: RecordInput, time: (at: number) => RecordTime): AttendanceLine[] {
  /** Per delegation, its connections in the session now, with the instance that holds each. */
  const open = new Map<string, Map<string, string | null>>();
  const periods = new Map<string, { from: number; to: number | null }[]>();
  const leave = (code: string, connection: string, at: number) => {
    const connections = open.get(code);
    if (!connections?.delete(connection) || connections.size > 0) return;
    const last = periods.get(code)?.at(-1);
    if (last && last.to === null) last.to = Math.max(last.from, at);
  };
  // A death is written a while after it happened: it takes its place at the instance's last sign
  // of life, before the rejoins that followed it.
  const lastSeen = (e: AuditEntry) =>
    e.type === 'instanceLost' && typeof e.detail.lastSeen === 'number'
      ? Math.min(e.detail.lastSeen, e.at)
      : e.at;
  const inOrder = input.entries.filter((e) => e.type !== 'instanceLost');
  for (const e of input.entries) {
    if (e.type !== 'instanceLost') continue;
    const at = lastSeen(e);
    const before = inOrder.findIndex((other) => other.at > at);
    inOrder.splice(before === -1 ? inOrder.length : before, 0, e);
  }
  for (const e of inOrder) {
    if (e.type === 'instanceLost') {
      const lost = str(e.detail.instance);
      for (const [code, connections] of open) {
        for (const [connection, instance] of connections) {
          if (instance === lost) leave(code, connection, lastSeen(e));
        }
      }
      continue;
    }
    const code = e.actor?.delegation;
    if (!code || (e.type !== 'join' && e.type !== 'leave')) continue;
    const connections = open.get(code) ?? new Map<string, string | null>();
    open.set(code, connections);
    // Lines written before connections were named stand for any one of the delegation's.
    const named = typeof e.detail.connection === 'string' ? e.detail.connection : null;
    if (e.type === 'join') {
      if (connections.size === 0) periods.set(code, [...(periods.get(code) ?? []), { from: e.at, to: null }]);
      connections.set(
        named ?? `line ${e.id}`,
        typeof e.detail.instance === 'string' ? e.detail.instance : null,
      );
    } else {
      const which = named ?? connections.keys().next().value;
      if (which !== undefined) leave(code, which, e.at);
    }
  }
  return input.delegations.map((d) => ({
    delegation: d.code,
    name: d.name.en,
    periods: (periods.get(d.code) ?? []).map((p) => ({
      from: time(p.from),
      to: p.to === null ? null : time(p.to),
    })),
  }));
}
