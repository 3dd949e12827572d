// One session's proceedings as a pure state machine: documents and their versions, what is on
// screen, adoption by consensus (no objection) and roll-call votes.
// (state, command, actor, context, now) -> (state, events); no I/O and no clock.
import {
  type Action,
  type Adoption,
  type AdoptionMode,
  type AuditEntry,
  type Ballot,
  type BallotChoice,
  can,
  type DocumentFile,
  type MajorityRule,
  type OnScreen,
  type ProceedingsState,
  type SessionDocument,
  type Vote,
  type VoteTally,
} from '@summit-bridge/protocol';
import type { Actor, DomainError } from './sessionMachine.js';

export interface ProceedingsContext {
  sessionId: string;
  /** The session's delegations in precedence order: one voice each. */
  delegations: string[];
  /** Shortest written silence procedure, ms. */
  silenceMinMs: number;
}

/** What an adoption's deadline may be, by mode. */
export const IN_SESSION_MIN_MS = 10_000;
export const IN_SESSION_MAX_MS = 3_600_000;
export const SILENCE_MAX_MS = 14 * 24 * 3_600_000;
/** Bounds of what one session keeps: its state is pushed whole. */
export const MAX_DOCUMENTS = 200;
export const MAX_VERSIONS = 50;
export const MAX_PROCEDURES = 200;

export type ProceedingsCommand =
  | { type: 'tableDocument'; title: string; symbol: string; file: DocumentFile }
  | { type: 'addVersion'; documentId: string; file: DocumentFile }
  | { type: 'addLanguage'; documentId: string; version: number; file: DocumentFile }
  | { type: 'show'; documentId: string; version: number; language: string; page: number }
  | { type: 'scroll'; page: number; scroll: number }
  | { type: 'hide' }
  | { type: 'openAdoption'; documentId: string; version: number; mode: AdoptionMode; durationMs: number }
  | { type: 'object'; adoptionId: string; delegation: string; reason: string | null }
  | { type: 'withdrawAdoption'; adoptionId: string }
  | {
      type: 'callVote';
      question: string;
      documentId: string | null;
      version: number | null;
      majority: MajorityRule;
      durationMs: number | null;
    }
  | { type: 'castBallot'; voteId: string; delegation: string; choice: BallotChoice }
  /** `present`: the delegations connected now, for the quorum. */
  | { type: 'closeVote'; voteId: string; present: string[] }
  /** Closes whatever is due; sent by the server's deadline scheduler, idempotent. */
  | { type: 'tick'; present: string[] };

export type ProceedingsEvent = { at: number; by: Actor | null } & (
  | {
      type: 'documentTabled';
      documentId: string;
      symbol: string;
      title: string;
      language: string;
      format: string;
    }
  | { type: 'documentVersionAdded'; documentId: string; symbol: string; version: number; language: string }
  | { type: 'documentLanguageAdded'; documentId: string; symbol: string; version: number; language: string }
  | { type: 'documentShown'; documentId: string; symbol: string; version: number; language: string }
  | { type: 'documentScrolled'; page: number; scroll: number }
  | { type: 'documentHidden' }
  | {
      type: 'adoptionOpened';
      adoptionId: string;
      documentId: string;
      symbol: string;
      version: number;
      mode: AdoptionMode;
      deadline: number;
    }
  | { type: 'objectionRaised'; adoptionId: string; delegation: string; reason: string | null }
  | { type: 'adoptionWithdrawn'; adoptionId: string; symbol: string; version: number }
  | {
      type: 'adoptionClosed';
      adoptionId: string;
      symbol: string;
      version: number;
      outcome: 'adopted' | 'not_adopted';
      objections: string[];
    }
  | {
      type: 'voteCalled';
      voteId: string;
      question: string;
      majority: MajorityRule;
      deadline: number | null;
      symbol: string | null;
      version: number | null;
    }
  | {
      type: 'ballotCast';
      voteId: string;
      delegation: string;
      choice: BallotChoice;
      replaced: BallotChoice | null;
    }
  | {
      type: 'voteClosed';
      voteId: string;
      question: string;
      majority: MajorityRule;
      tally: VoteTally;
      ballots: Ballot[];
    }
);

export type ProceedingsResult =
  | { ok: true; state: ProceedingsState; events: ProceedingsEvent[] }
  | { ok: false; error: DomainError };

export function initialProceedings(sessionId: string): ProceedingsState {
  return { sessionId, version: 0, documents: [], onScreen: null, adoptions: [], votes: [] };
}

const actionOf: Record<ProceedingsCommand['type'], Action | null> = {
  tableDocument: 'documents.manage',
  addVersion: 'documents.manage',
  addLanguage: 'documents.manage',
  show: 'documents.present',
  scroll: 'documents.present',
  hide: 'documents.present',
  openAdoption: 'adoption.manage',
  object: 'adoption.object',
  withdrawAdoption: 'adoption.manage',
  callVote: 'vote.manage',
  castBallot: 'vote.cast',
  closeVote: 'vote.manage',
  tick: null,
};

const fail = (code: DomainError['code'], message: string): ProceedingsResult => ({
  ok: false,
  error: { code, message },
});

/** The only way proceedings change. The server's own commands (the tick) come with a null actor. */
export function applyProceedings(
  state: ProceedingsState,
  command: ProceedingsCommand,
  actor: Actor | null,
  ctx: ProceedingsContext,
  now: number,
): ProceedingsResult {
  const action = actionOf[command.type];
  if (actor === null ? action !== null : action === null || !can(actor.role, action))
    return fail('forbidden', `a ${actor?.role ?? 'server'} may not ${action ?? command.type}`);
  const result = decide(state, command, actor, ctx, now);
  if (!result.ok || result.events.length === 0) return result;
  return { ok: true, state: { ...result.state, version: state.version + 1 }, events: result.events };
}

function decide(
  state: ProceedingsState,
  command: ProceedingsCommand,
  actor: Actor | null,
  ctx: ProceedingsContext,
  now: number,
): ProceedingsResult {
  const done = (next: ProceedingsState, ...events: DistributiveOmit<ProceedingsEvent, 'at' | 'by'>[]) =>
    ({
      ok: true,
      state: next,
      events: events.map((e) => ({ ...e, at: now, by: actor }) as ProceedingsEvent),
    }) as const;
  switch (command.type) {
    case 'tableDocument': {
      if (state.documents.length >= MAX_DOCUMENTS)
        return fail('conflict', `a session keeps at most ${MAX_DOCUMENTS} documents`);
      if (state.documents.some((d) => d.symbol === command.symbol))
        return fail('conflict', `${command.symbol} is already tabled: upload a new version of it`);
      const document: SessionDocument = {
        id: `d${state.documents.length + 1}`,
        title: command.title,
        symbol: command.symbol,
        versions: [{ version: 1, tabledAt: now, files: [command.file] }],
      };
      return done(
        { ...state, documents: [...state.documents, document] },
        {
          type: 'documentTabled',
          documentId: document.id,
          symbol: document.symbol,
          title: document.title,
          language: command.file.language,
          format: command.file.format,
        },
      );
    }
    case 'addVersion': {
      const document = state.documents.find((d) => d.id === command.documentId);
      if (!document) return fail('not_found', `no document ${command.documentId}`);
      if (document.versions.length >= MAX_VERSIONS)
        return fail('conflict', `a document keeps at most ${MAX_VERSIONS} versions`);
      const version = document.versions.length + 1;
      const next = {
        ...document,
        versions: [...document.versions, { version, tabledAt: now, files: [command.file] }],
      };
      return done(withDocument(state, next), {
        type: 'documentVersionAdded',
        documentId: document.id,
        symbol: document.symbol,
        version,
        language: command.file.language,
      });
    }
    case 'addLanguage': {
      const document = state.documents.find((d) => d.id === command.documentId);
      const version = document?.versions.find((v) => v.version === command.version);
      if (!document || !version)
        return fail('not_found', `no version ${command.version} of ${command.documentId}`);
      const files = version.files.filter((f) => f.language !== command.file.language);
      const replaced = { ...version, files: [...files, command.file] };
      const next = { ...document, versions: document.versions.map((v) => (v === version ? replaced : v)) };
      return done(withDocument(state, next), {
        type: 'documentLanguageAdded',
        documentId: document.id,
        symbol: document.symbol,
        version: command.version,
        language: command.file.language,
      });
    }
    case 'show': {
      const document = state.documents.find((d) => d.id === command.documentId);
      const version = document?.versions.find((v) => v.version === command.version);
      if (!document || !version?.files.some((f) => f.language === command.language))
        return fail(
          'not_found',
          `no ${command.language} text of version ${command.version} of ${command.documentId}`,
        );
      const onScreen: OnScreen = {
        documentId: command.documentId,
        version: command.version,
        language: command.language,
        page: command.page,
        scroll: 0,
      };
      return done(
        { ...state, onScreen },
        {
          type: 'documentShown',
          documentId: document.id,
          symbol: document.symbol,
          version: command.version,
          language: command.language,
        },
      );
    }
    case 'scroll': {
      if (!state.onScreen) return fail('conflict', 'no document is on screen');
      if (state.onScreen.page === command.page && state.onScreen.scroll === command.scroll)
        return done(state);
      return done(
        { ...state, onScreen: { ...state.onScreen, page: command.page, scroll: command.scroll } },
        { type: 'documentScrolled', page: command.page, scroll: command.scroll },
      );
    }
    case 'hide':
      if (!state.onScreen) return done(state);
      return done({ ...state, onScreen: null }, { type: 'documentHidden' });
    case 'openAdoption': {
      const document = state.documents.find((d) => d.id === command.documentId);
      if (!document?.versions.some((v) => v.version === command.version))
        return fail('not_found', `no version ${command.version} of ${command.documentId}`);
      const busy = openProcedure(state);
      if (busy) return fail('conflict', `${busy} is still open`);
      if (state.adoptions.length >= MAX_PROCEDURES)
        return fail('conflict', 'too many adoptions in one session');
      const [min, max] =
        command.mode === 'in_session'
          ? [IN_SESSION_MIN_MS, IN_SESSION_MAX_MS]
          : [ctx.silenceMinMs, SILENCE_MAX_MS];
      if (command.durationMs < min || command.durationMs > max)
        return fail('invalid_payload', `a ${command.mode} procedure lasts ${min / 1000} to ${max / 1000} s`);
      const adoption: Adoption = {
        id: `a${state.adoptions.length + 1}`,
        documentId: document.id,
        version: command.version,
        mode: command.mode,
        openedAt: now,
        deadline: now + command.durationMs,
        objections: [],
        status: 'open',
        closedAt: null,
      };
      return done(
        { ...state, adoptions: [...state.adoptions, adoption] },
        {
          type: 'adoptionOpened',
          adoptionId: adoption.id,
          documentId: document.id,
          symbol: document.symbol,
          version: command.version,
          mode: command.mode,
          deadline: adoption.deadline,
        },
      );
    }
    case 'object': {
      const refused = notOwnVoice(actor, command.delegation, ctx);
      if (refused || !actor) return refused ?? fail('forbidden', 'only a delegation may object');
      const adoption = state.adoptions.find((a) => a.id === command.adoptionId);
      if (!adoption) return fail('not_found', `no adoption ${command.adoptionId}`);
      if (adoption.status !== 'open' || now >= adoption.deadline)
        return fail('conflict', 'this adoption is closed: objections are no longer received');
      if (adoption.objections.some((o) => o.delegation === command.delegation))
        return fail('conflict', `${command.delegation} has already objected`);
      const objection = {
        delegation: command.delegation,
        participantId: actor.participantId,
        reason: command.reason,
        at: now,
      };
      const next = { ...adoption, objections: [...adoption.objections, objection] };
      return done(withAdoption(state, next), {
        type: 'objectionRaised',
        adoptionId: adoption.id,
        delegation: command.delegation,
        reason: command.reason,
      });
    }
    case 'withdrawAdoption': {
      const adoption = state.adoptions.find((a) => a.id === command.adoptionId);
      if (!adoption) return fail('not_found', `no adoption ${command.adoptionId}`);
      if (adoption.status !== 'open')
        return fail('conflict', `adoption ${adoption.id} is already ${adoption.status}`);
      return done(withAdoption(state, { ...adoption, status: 'withdrawn', closedAt: now }), {
        type: 'adoptionWithdrawn',
        adoptionId: adoption.id,
        symbol: symbolOf(state, adoption.documentId),
        version: adoption.version,
      });
    }
    case 'callVote': {
      const busy = openProcedure(state);
      if (busy) return fail('conflict', `${busy} is still open`);
      if (state.votes.length >= MAX_PROCEDURES) return fail('conflict', 'too many votes in one session');
      if ((command.documentId === null) !== (command.version === null))
        return fail('invalid_payload', 'a vote on a document names its version');
      if (
        command.documentId !== null &&
        !state.documents
          .find((d) => d.id === command.documentId)
          ?.versions.some((v) => v.version === command.version)
      )
        return fail('not_found', `no version ${command.version} of ${command.documentId}`);
      const vote: Vote = {
        id: `v${state.votes.length + 1}`,
        question: command.question,
        documentId: command.documentId,
        version: command.version,
        majority: command.majority,
        openedAt: now,
        deadline: command.durationMs === null ? null : now + command.durationMs,
        ballots: [],
        status: 'open',
        closedAt: null,
        tally: null,
      };
      return done(
        { ...state, votes: [...state.votes, vote] },
        {
          type: 'voteCalled',
          voteId: vote.id,
          question: vote.question,
          majority: vote.majority,
          deadline: vote.deadline,
          symbol: vote.documentId === null ? null : symbolOf(state, vote.documentId),
          version: vote.version,
        },
      );
    }
    case 'castBallot': {
      const refused = notOwnVoice(actor, command.delegation, ctx);
      if (refused || !actor) return refused ?? fail('forbidden', 'only a delegation may vote');
      const vote = state.votes.find((v) => v.id === command.voteId);
      if (!vote) return fail('not_found', `no vote ${command.voteId}`);
      if (vote.status !== 'open' || (vote.deadline !== null && now >= vote.deadline))
        return fail('conflict', 'this vote is closed');
      const previous = vote.ballots.find((b) => b.delegation === command.delegation);
      if (previous?.choice === command.choice) return done(state);
      const others = vote.ballots.filter((b) => b.delegation !== command.delegation);
      const ballots = inOrder(
        [...others, { delegation: command.delegation, choice: command.choice, at: now }],
        ctx,
      );
      return done(withVote(state, { ...vote, ballots }), {
        type: 'ballotCast',
        voteId: vote.id,
        delegation: command.delegation,
        choice: command.choice,
        replaced: previous?.choice ?? null,
      });
    }
    case 'closeVote': {
      const vote = state.votes.find((v) => v.id === command.voteId);
      if (!vote) return fail('not_found', `no vote ${command.voteId}`);
      if (vote.status !== 'open') return fail('conflict', `vote ${vote.id} is already closed`);
      const [next, event] = closeVote(vote, ctx, command.present, now);
      return done(withVote(state, next), event);
    }
    case 'tick': {
      let next = state;
      const events: DistributiveOmit<ProceedingsEvent, 'at' | 'by'>[] = [];
      for (const adoption of state.adoptions) {
        if (adoption.status !== 'open' || now < adoption.deadline) continue;
        const outcome = adoption.objections.length === 0 ? 'adopted' : 'not_adopted';
        next = withAdoption(next, { ...adoption, status: outcome, closedAt: now });
        events.push({
          type: 'adoptionClosed',
          adoptionId: adoption.id,
          symbol: symbolOf(state, adoption.documentId),
          version: adoption.version,
          outcome,
          objections: adoption.objections.map((o) => o.delegation),
        });
      }
      for (const vote of state.votes) {
        if (vote.status !== 'open' || vote.deadline === null || now < vote.deadline) continue;
        const [closed, event] = closeVote(vote, ctx, command.present, now);
        next = withVote(next, closed);
        events.push(event);
      }
      return done(next, ...events);
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One delegation, one voice: an actor speaks only for its own delegation, of this session. */
function notOwnVoice(
  actor: Actor | null,
  delegation: string,
  ctx: ProceedingsContext,
): ProceedingsResult | null {
  if (actor?.delegation !== delegation)
    return fail('forbidden', `you speak for ${actor?.delegation ?? 'no delegation'}, not ${delegation}`);
  if (!ctx.delegations.includes(delegation))
    return fail('forbidden', `${delegation} does not take part in this session`);
  return null;
}

function closeVote(
  vote: Vote,
  ctx: ProceedingsContext,
  present: readonly string[],
  now: number,
): [Vote, DistributiveOmit<ProceedingsEvent, 'at' | 'by'>] {
  const t = tally(vote.ballots, vote.majority, ctx.delegations, present);
  const closed: Vote = { ...vote, status: 'closed', closedAt: now, tally: t };
  return [
    closed,
    {
      type: 'voteClosed',
      voteId: vote.id,
      question: vote.question,
      majority: vote.majority,
      tally: t,
      ballots: vote.ballots,
    },
  ];
}

/** More than half of the session's delegations. */
export function quorumOf(delegations: number): number {
  return Math.floor(delegations / 2) + 1;
}

/** Yes votes a rule needs when `cast` delegations voted yes or no. */
export function requiredYes(majority: MajorityRule, cast: number): number {
  switch (majority) {
    case 'simple':
      return Math.floor(cast / 2) + 1;
    case 'two_thirds':
      return Math.ceil((2 * cast) / 3);
    case 'unanimity':
      return cast;
  }
}

/**
 * The count of a roll-call vote. Only yes and no count towards the majority (abstentions and
 * non-participation do not, as "present and voting" in UN practice); unanimity of those present
 * means no delegation votes no (an abstention does not prevent it, as in the EU Council). A
 * motion needs at least one yes, and a quorum: more than half of the session's delegations present.
 */
export function tally(
  ballots: readonly Pick<Ballot, 'delegation' | 'choice'>[],
  majority: MajorityRule,
  eligible: readonly string[],
  present: readonly string[],
): VoteTally {
  const taking = new Set(eligible);
  const byDelegation = new Map<string, BallotChoice>();
  for (const b of ballots) if (taking.has(b.delegation)) byDelegation.set(b.delegation, b.choice);
  const count = (choice: BallotChoice) => [...byDelegation.values()].filter((c) => c === choice).length;
  const [yes, no, abstain, notParticipating] = [
    count('yes'),
    count('no'),
    count('abstain'),
    count('not_participating'),
  ];
  const here = new Set([...present.filter((d) => taking.has(d)), ...byDelegation.keys()]);
  const quorum = quorumOf(taking.size);
  const quorate = here.size >= quorum;
  const required = requiredYes(majority, yes + no);
  return {
    yes,
    no,
    abstain,
    notParticipating,
    noBallot: taking.size - byDelegation.size,
    present: here.size,
    quorum,
    quorate,
    required,
    carried: quorate && yes >= 1 && yes >= required,
  };
}

/** Which procedure is open, if any: one at a time. */
export function openProcedure(state: ProceedingsState): string | null {
  const adoption = state.adoptions.find((a) => a.status === 'open');
  if (adoption) return `adoption ${adoption.id}`;
  const vote = state.votes.find((v) => v.status === 'open');
  return vote ? `vote ${vote.id}` : null;
}

/** The next moment the server must act (an adoption's or a vote's deadline), or null. */
export function nextProceedingsDeadline(state: ProceedingsState): number | null {
  const deadlines = [
    ...state.adoptions.filter((a) => a.status === 'open').map((a) => a.deadline),
    ...state.votes.filter((v) => v.status === 'open' && v.deadline !== null).map((v) => v.deadline as number),
  ];
  return deadlines.length === 0 ? null : Math.min(...deadlines);
}

function inOrder(ballots: Ballot[], ctx: ProceedingsContext): Ballot[] {
  const rank = (d: string) => ctx.delegations.indexOf(d);
  return ballots.sort((a, b) => rank(a.delegation) - rank(b.delegation));
}

function symbolOf(state: ProceedingsState, documentId: string): string {
  return state.documents.find((d) => d.id === documentId)?.symbol ?? documentId;
}

function withDocument(state: ProceedingsState, document: SessionDocument): ProceedingsState {
  return { ...state, documents: state.documents.map((d) => (d.id === document.id ? document : d)) };
}

function withAdoption(state: ProceedingsState, adoption: Adoption): ProceedingsState {
  return { ...state, adoptions: state.adoptions.map((a) => (a.id === adoption.id ? adoption : a)) };
}

function withVote(state: ProceedingsState, vote: Vote): ProceedingsState {
  return { ...state, votes: state.votes.map((v) => (v.id === vote.id ? vote : v)) };
}

/** The audit line of an event: the delegation acted upon (objecting, voting) and the facts. */
export function proceedingsAuditEntry(sessionId: string, event: ProceedingsEvent): Omit<AuditEntry, 'id'> {
  const { type, at, by, ...rest } = event;
  const { delegation = null, ...detail }: { delegation?: string | null } & Record<string, unknown> = rest;
  return { at, sessionId, type, actor: by, delegation, detail };
}
