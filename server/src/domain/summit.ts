// Pure questions about a summit document: its sessions, their delegations in protocol order, and
// whether a token's grants may join a session.
import {
  boothIssue,
  type Delegation,
  type Failure,
  failure,
  type Grants,
  inPrecedenceOrder,
  isChairRole,
  type Role,
  type Session,
  type SummitDocument,
} from '@summit-bridge/protocol';
import type { Actor, SessionContext } from './sessionMachine.js';

export function findSession(doc: SummitDocument, sessionId: string): Session | undefined {
  return doc.sessions.find((s) => s.id === sessionId);
}

/** The delegations taking part in a session, in precedence order: the order of every screen. */
export function sessionDelegations(doc: SummitDocument, session: Session): Delegation[] {
  const taking = new Set(session.delegations);
  return inPrecedenceOrder(doc.delegations.filter((d) => taking.has(d.code)));
}

function contextOf(session: Session, delegations: Delegation[]): SessionContext {
  return {
    sessionId: session.id,
    delegations: delegations.map((d) => d.code),
    chairs: [...session.chairs],
    interpretation: session.interpretation ?? null,
  };
}

export function sessionContext(doc: SummitDocument, sessionId: string): SessionContext | null {
  const session = findSession(doc, sessionId);
  return session ? contextOf(session, sessionDelegations(doc, session)) : null;
}

export function actorOf(grants: Pick<Grants, 'sub' | 'delegation' | 'role' | 'booth'>): Actor {
  return {
    participantId: grants.sub,
    delegation: grants.delegation,
    role: grants.role,
    ...(grants.booth ? { booth: grants.booth } : {}),
  };
}

/** Roles that may take part without speaking for a delegation. */
const unaffiliatedRoles: ReadonlySet<Role> = new Set([
  'secretariat',
  'technician',
  'interpreter',
  'observer',
]);

export type Admission =
  | { ok: true; session: Session; context: SessionContext; delegations: Delegation[]; actor: Actor }
  | Failure;

/**
 * Whether a token's grants let its holder join a session: the session must be granted, the
 * delegation must take part, a chair must speak for a chair delegation of that session.
 */
export function admission(doc: SummitDocument, grants: Grants, sessionId: string): Admission {
  if (grants.summit !== doc.id) return failure('forbidden', `this token is for summit ${grants.summit}`);
  const session = findSession(doc, sessionId);
  if (!session) return failure('not_found', `summit ${doc.id} has no session ${sessionId}`);
  if (!grants.sessions.includes(sessionId))
    return failure('forbidden', `this token does not grant session ${sessionId}`);
  const { delegation, role } = grants;
  if (delegation === null) {
    if (!unaffiliatedRoles.has(role)) return failure('forbidden', `a ${role} must speak for a delegation`);
  } else if (!session.delegations.includes(delegation)) {
    return failure('forbidden', `delegation ${delegation} does not take part in session ${sessionId}`);
  } else if (isChairRole(role) && !session.chairs.includes(delegation)) {
    return failure('forbidden', `delegation ${delegation} does not chair session ${sessionId}`);
  }
  const boothProblem = boothIssue({ role, booth: grants.booth, sessions: [sessionId] }, [session]);
  if (boothProblem) return failure('forbidden', boothProblem);
  const delegations = sessionDelegations(doc, session);
  return {
    ok: true,
    session,
    context: contextOf(session, delegations),
    delegations,
    actor: actorOf(grants),
  };
}
