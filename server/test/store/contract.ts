// The one contract every StateStore passes, run against MemoryStore and RedisStore.
import type { AuditEntry, Invitation, SessionState } from '@summit-bridge/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type Actor, applyCommand, initialSessionState } from '../../src/domain/floor.js';
import { auditIdPattern, type StateStore } from '../../src/store/StateStore.js';
import { doc, sessionOf } from '../domain/meeting.js';

/** Opens an empty store of its own (its own key prefix for Redis). */
export type OpenStore = () => Promise<StateStore>;

const { session: som, ctx } = sessionOf('som');

const invitation = (jti: string, issuedAt: number, revoked = false): Invitation => ({
  id: `p-${jti.toLowerCase()}`,
  name: `Participant ${jti}`,
  delegation: 'VNM',
  role: 'head_of_delegation',
  sessions: ['som'],
  jti,
  issuedAt,
  expiresAt: issuedAt + 3_600_000,
  revoked,
});

const auditLine = (type: string, at: number): Omit<AuditEntry, 'id'> => ({
  at,
  sessionId: 'som',
  type,
  actor: { participantId: 'chair-vnm', delegation: 'VNM', role: 'chair' },
  delegation: 'BRN',
  detail: { kind: 'speak' },
});

const delegate = (delegation: string): Actor => ({
  participantId: `hod-${delegation.toLowerCase()}`,
  delegation,
  role: 'head_of_delegation',
});

export function stateStoreContract(name: string, open: OpenStore): void {
  describe(`${name} (StateStore contract)`, () => {
    const opened: StateStore[] = [];
    const fresh = async () => {
      const store = await open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('keeps summit documents, lists their ids in order, and replaces on put', async () => {
      const store = await fresh();
      expect(await store.getSummit('asean-2020')).toBeNull();
      expect(await store.listSummits()).toEqual([]);
      await store.putSummit(doc);
      await store.putSummit({ ...doc, id: 'another-summit' });
      expect(await store.getSummit('asean-2020')).toEqual(doc);
      expect(await store.listSummits()).toEqual(['another-summit', 'asean-2020']);
      await store.putSummit({ ...doc, title: { en: 'Renamed' } });
      expect((await store.getSummit('asean-2020'))?.title).toEqual({ en: 'Renamed' });
    });

    it('hands out copies: changing a returned document changes nothing stored', async () => {
      const store = await fresh();
      await store.putSummit(doc);
      const read = await store.getSummit('asean-2020');
      read?.sessions.splice(0);
      expect((await store.getSummit('asean-2020'))?.sessions).toHaveLength(doc.sessions.length);
    });

    it('creates a session state on first update and returns the change result', async () => {
      const store = await fresh();
      expect(await store.getSessionState('asean-2020', 'som')).toBeNull();
      const result = await store.updateSessionState('asean-2020', 'som', (state) => ({
        state: state ?? initialSessionState('som', som),
        result: state === null ? 'created' : 'existed',
      }));
      expect(result).toBe('created');
      expect(await store.getSessionState('asean-2020', 'som')).toEqual(initialSessionState('som', som));
      expect(await store.getSessionState('asean-2020', 'acc')).toBeNull();
      expect(await store.getSessionState('another-summit', 'som')).toBeNull();
    });

    it('writes nothing when the change returns the same state, or throws', async () => {
      const store = await fresh();
      await store.updateSessionState('asean-2020', 'som', () => ({
        state: initialSessionState('som', som),
        result: null,
      }));
      const same = await store.updateSessionState('asean-2020', 'som', (state) => ({
        state,
        result: 'same',
      }));
      expect(same).toBe('same');
      await expect(
        store.updateSessionState('asean-2020', 'som', () => {
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect((await store.getSessionState('asean-2020', 'som'))?.version).toBe(0);
    });

    it('refuses a changed state whose version does not move forward', async () => {
      const store = await fresh();
      const first = initialSessionState('som', som);
      await store.updateSessionState('asean-2020', 'som', () => ({ state: first, result: null }));
      await expect(
        store.updateSessionState('asean-2020', 'som', (state) => ({
          state: state && { ...state, status: 'open' },
          result: null,
        })),
      ).rejects.toThrow(/version/);
      expect(await store.getSessionState('asean-2020', 'som')).toEqual(first);
    });

    it('serializes concurrent floor commands on one session: none is lost, versions are contiguous', async () => {
      const store = await fresh();
      const now = Date.parse('2020-05-18T02:00:00Z');
      await store.updateSessionState('asean-2020', 'som', () => ({
        state: { ...initialSessionState('som', som), status: 'open' },
        result: null,
      }));
      // Every delegation asks for the floor twice (the second changes nothing) and the chair gives it
      // at the same time: 2 × 11 requests + 5 gives, all in flight together.
      const commands = [
        ...ctx.delegations
          .flatMap((d) => [d, d])
          .map((d) => ({ actor: delegate(d), type: 'request' as const })),
        ...Array.from({ length: 5 }, () => ({ actor: null, type: 'give' as const })),
      ];
      const versions = await Promise.all(
        commands.map(({ actor, type }, i) =>
          store.updateSessionState('asean-2020', 'som', (state) => {
            if (!state) throw new Error('no state');
            const cmd = type === 'request' ? { type, kind: 'speak' as const } : { type };
            const res = applyCommand(state, cmd, actor, ctx, now + i);
            return res.ok && res.state !== state
              ? { state: res.state, result: res.state.version }
              : { state, result: null };
          }),
        ),
      );
      const written = versions.filter((v): v is number => v !== null).sort((a, b) => a - b);
      const final = (await store.getSessionState('asean-2020', 'som')) as SessionState;
      expect(written).toEqual(Array.from({ length: final.version }, (_, i) => i + 1));
      const given = final.floor.current ? [final.floor.current.delegation] : [];
      const spoken = Object.keys(final.floor.speakingTimeMs);
      const everyone = [...final.floor.speakersList.map((r) => r.delegation), ...spoken, ...given];
      // Each delegation is either still waiting, has spoken, or holds the floor — exactly once each.
      expect(new Set(everyone).size).toBe(everyone.length);
      expect([...everyone].sort()).toEqual([...ctx.delegations].sort());
    });

    it('keeps invitations per summit in issue order, replacing by jti', async () => {
      const store = await fresh();
      await store.putInvitation('asean-2020', invitation('JTI-BBBB', 2000));
      await store.putInvitation('asean-2020', invitation('JTI-AAAA', 1000));
      await store.putInvitation('asean-2020', invitation('JTI-CCCC', 2000));
      await store.putInvitation('another-summit', invitation('JTI-DDDD', 500));
      await store.putInvitation('asean-2020', invitation('JTI-BBBB', 2000, true));
      const list = await store.listInvitations('asean-2020');
      expect(list.map((i) => i.jti)).toEqual(['JTI-AAAA', 'JTI-BBBB', 'JTI-CCCC']);
      expect(list[1]).toEqual(invitation('JTI-BBBB', 2000, true));
      expect(await store.listInvitations('no-such-summit')).toEqual([]);
    });

    it('remembers revoked token ids until the token would expire anyway', async () => {
      const store = await fresh();
      await store.revokeToken('revoked-jti', Date.now() + 3_600_000);
      await store.revokeToken('expired-jti', Date.now() - 1000);
      expect(await store.isRevoked('revoked-jti')).toBe(true);
      expect(await store.isRevoked('expired-jti')).toBe(false);
      expect(await store.isRevoked('other-jti')).toBe(false);
    });

    it('appends to the audit trail and reads it back in order, page by page', async () => {
      const store = await fresh();
      const appended: AuditEntry[] = [];
      for (let i = 0; i < 7; i++)
        appended.push(await store.appendAudit('asean-2020', auditLine(`event${i}`, i)));
      await store.appendAudit('another-summit', auditLine('elsewhere', 0));
      for (const entry of appended) expect(entry.id).toMatch(auditIdPattern);
      expect(appended[3]).toEqual({ id: appended[3]?.id, ...auditLine('event3', 3) });

      const all = await store.readAudit('asean-2020', { limit: 100 });
      expect(all).toEqual(appended);
      const first = await store.readAudit('asean-2020', { limit: 3 });
      const second = await store.readAudit('asean-2020', { after: first.at(-1)?.id, limit: 3 });
      const third = await store.readAudit('asean-2020', { after: second.at(-1)?.id, limit: 3 });
      expect([...first, ...second, ...third].map((e) => e.type)).toEqual(appended.map((e) => e.type));
      expect(await store.readAudit('asean-2020', { after: third.at(-1)?.id, limit: 3 })).toEqual([]);
      expect(await store.readAudit('asean-2020', { limit: 0 })).toEqual([]);
      expect(await store.readAudit('no-such-summit', { limit: 10 })).toEqual([]);
    });
  });
}
