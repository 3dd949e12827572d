import type { Grants } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import {
  actorOf,
  admission,
  findSession,
  sessionContext,
  sessionDelegations,
} from '../../src/domain/summit.js';
import { doc } from './meeting.js';

const grants = (over: Partial<Grants>): Grants => ({
  sub: 'hod-tha',
  name: 'Head of the delegation of Thailand',
  summit: 'asean-2020',
  sessions: ['som', 'apt-summit'],
  delegation: 'THA',
  role: 'head_of_delegation',
  jti: 'abcdefgh12345678',
  iat: 1,
  exp: 2,
  ...over,
});

describe('a summit document', () => {
  it('finds sessions by id', () => {
    expect(findSession(doc, 'apt-summit')?.kind).toBe('summit');
    expect(findSession(doc, 'nope')).toBeUndefined();
  });

  it('gives a session’s delegations in precedence order, whatever order the session lists them', () => {
    const session = findSession(doc, 'apt-summit');
    if (!session) throw new Error('no ASEAN+3 summit');
    const shuffled = { ...session, delegations: [...session.delegations].reverse() };
    const codes = sessionDelegations(doc, shuffled).map((d) => d.code);
    expect(codes).toEqual([
      'BRN',
      'KHM',
      'IDN',
      'LAO',
      'MYS',
      'MMR',
      'PHL',
      'SGP',
      'THA',
      'VNM',
      'ASEC',
      'CHN',
      'JPN',
      'KOR',
    ]);
  });

  it('builds the context the floor engine needs', () => {
    expect(sessionContext(doc, 'asean-australia')).toEqual({
      sessionId: 'asean-australia',
      delegations: ['BRN', 'KHM', 'IDN', 'LAO', 'MYS', 'MMR', 'PHL', 'SGP', 'THA', 'VNM', 'ASEC', 'AUS'],
      chairs: ['MYS', 'AUS'],
      interpretation: { floor: 'en', booths: ['vi'] },
    });
    expect(sessionContext(doc, 'nope')).toBeNull();
  });
});

describe('admission to a session', () => {
  it('admits a delegation taking part in a granted session, with its actor and context', () => {
    const admitted = admission(doc, grants({}), 'apt-summit');
    if (!admitted.ok) throw new Error(admitted.error.message);
    expect(admitted.session.id).toBe('apt-summit');
    expect(admitted.delegations.map((d) => d.code)).toEqual(admitted.context.delegations);
    expect(admitted.actor).toEqual(actorOf(grants({})));
    expect(admitted.actor).toEqual({
      participantId: 'hod-tha',
      delegation: 'THA',
      role: 'head_of_delegation',
    });
  });

  it('refuses another summit, a session not granted, and a session that does not exist', () => {
    const code = (g: Grants, sessionId: string) => {
      const a = admission(doc, g, sessionId);
      return a.ok ? 'ok' : a.error.code;
    };
    expect(code(grants({ summit: 'other-summit' }), 'som')).toBe('forbidden');
    expect(code(grants({}), 'acc')).toBe('forbidden');
    expect(code(grants({ sessions: ['nope'] }), 'nope')).toBe('not_found');
  });

  it('refuses a delegation that does not take part in the session', () => {
    const china = grants({ sub: 'hod-chn', delegation: 'CHN', sessions: ['som', 'apt-summit'] });
    expect(admission(doc, china, 'apt-summit').ok).toBe(true);
    const refused = admission(doc, china, 'som');
    expect(refused.ok ? null : refused.error).toEqual({
      code: 'forbidden',
      message: 'delegation CHN does not take part in session som',
    });
  });

  it('admits a chair only for a session its delegation chairs (co-chairs included)', () => {
    const malaysia = grants({ delegation: 'MYS', role: 'co_chair', sessions: ['som', 'asean-australia'] });
    expect(admission(doc, malaysia, 'asean-australia').ok).toBe(true);
    expect(admission(doc, malaysia, 'som').ok).toBe(false);
    const australia = grants({ delegation: 'AUS', role: 'chair', sessions: ['asean-australia'] });
    expect(admission(doc, australia, 'asean-australia').ok).toBe(true);
    expect(admission(doc, grants({ delegation: 'VNM', role: 'chair' }), 'som').ok).toBe(true);
    expect(admission(doc, grants({ delegation: null, role: 'chair' }), 'som').ok).toBe(false);
  });

  it('admits an interpreter only into a session with its booth, and nobody else with a booth', () => {
    const interpreter = (booth?: string) =>
      grants({
        delegation: null,
        role: 'interpreter',
        sessions: ['som', 'apt-summit'],
        ...(booth ? { booth } : {}),
      });
    expect(admission(doc, interpreter('zh'), 'apt-summit').ok).toBe(true);
    expect(admission(doc, interpreter('zh'), 'som')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(admission(doc, interpreter(), 'som')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(admission(doc, grants({ booth: 'vi' }), 'som')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('admits technicians, secretariat staff, interpreters and observers without a delegation, not delegates', () => {
    for (const role of ['technician', 'secretariat', 'observer'] as const)
      expect(admission(doc, grants({ delegation: null, role }), 'som').ok).toBe(true);
    expect(admission(doc, grants({ delegation: null, role: 'interpreter', booth: 'lo' }), 'som').ok).toBe(
      true,
    );
    for (const role of ['delegate', 'head_of_delegation'] as const)
      expect(admission(doc, grants({ delegation: null, role }), 'som').ok).toBe(false);
  });
});
