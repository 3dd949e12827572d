// The one contract every StateStore passes, run against MemoryStore and RedisStore.
import type { Alert, AuditEntry, Invitation, MetricValues, SessionState } from '@summit-bridge/protocol';
import { metricNames } from '@summit-bridge/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type Actor, applyCommand, initialSessionState } from '../../src/domain/sessionMachine.js';
import {
  MINUTE_MAX_POINTS,
  MINUTE_MS,
  MINUTE_RETENTION_MS,
  RAW_MAX_POINTS,
  RAW_RETENTION_MS,
} from '../../src/domain/telemetry/series.js';
import { auditIdPattern, type InstanceRecord, type StateStore } from '../../src/store/StateStore.js';
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

const values = (rttMs: number | null, lossInPct: number | null = null): MetricValues => ({
  ...(Object.fromEntries(metricNames.map((m) => [m, null])) as MetricValues),
  rttMs,
  lossInPct,
});

const t0 = Date.parse('2020-05-18T02:00:00Z');

const alert = (id: string, raisedAt: number, change: Partial<Alert> = {}): Alert => ({
  id,
  rule: 'lossIn',
  severity: 'warning',
  delegation: 'KHM',
  raisedAt,
  value: 7.5,
  acknowledgedAt: null,
  acknowledgedBy: null,
  clearedAt: null,
  ...change,
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

    it('remembers who a session’s lobby admitted, per session', async () => {
      const store = await fresh();
      expect(await store.isAdmitted('asean-2020', 'som', 'lao-1')).toBe(false);
      await store.admit('asean-2020', 'som', 'lao-1');
      await store.admit('asean-2020', 'som', 'lao-1');
      expect(await store.isAdmitted('asean-2020', 'som', 'lao-1')).toBe(true);
      expect(await store.isAdmitted('asean-2020', 'acc', 'lao-1')).toBe(false);
    });

    it('keeps each instance’s last sign of life, and lets one caller drop it unless it spoke again', async () => {
      const store = await fresh();
      expect(await store.instances()).toEqual([]);
      await store.instanceAlive({ instanceId: 'a', seenAt: 1_000, sessions: ['asean-2020/som'] });
      await store.instanceAlive({ instanceId: 'b', seenAt: 1_500, sessions: [] });
      await store.instanceAlive({
        instanceId: 'a',
        seenAt: 2_000,
        sessions: ['asean-2020/som', 'asean-2020/acc'],
      });
      const byId = (records: InstanceRecord[]) =>
        [...records].sort((x, y) => x.instanceId.localeCompare(y.instanceId));
      expect(byId(await store.instances())).toEqual([
        { instanceId: 'a', seenAt: 2_000, sessions: ['asean-2020/som', 'asean-2020/acc'] },
        { instanceId: 'b', seenAt: 1_500, sessions: [] },
      ]);
      // Seen at 1,000 by a caller that read too early: 'a' spoke again since, and stays.
      expect(await store.dropInstance('a', 1_000)).toBe(false);
      const [first, second] = await Promise.all([
        store.dropInstance('a', 2_000),
        store.dropInstance('a', 2_000),
      ]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      expect(await store.dropInstance('nobody', 1)).toBe(false);
      expect((await store.instances()).map((r) => r.instanceId)).toEqual(['b']);
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

    it('keeps 2-s telemetry points per site and finishes each minute as min/avg/max', async () => {
      const store = await fresh();
      // Three minutes of 2-s rounds for two sites, the first minute with one point missing a value.
      for (let at = t0; at < t0 + 3 * MINUTE_MS; at += 2_000) {
        const minute = Math.floor((at - t0) / MINUTE_MS);
        await store.appendTelemetry('asean-2020', 'som', [
          { site: 'VNM', at, values: values(at === t0 ? null : 40 + minute * 10, minute) },
          { site: 'KHM', at, values: values(200) },
        ]);
      }
      const raw = await store.readRawTelemetry('asean-2020', 'som', 'VNM', t0 + 2 * MINUTE_MS);
      expect(raw).toHaveLength(30);
      expect(raw[0]).toEqual({ at: t0 + 2 * MINUTE_MS, values: values(60, 2) });
      expect(raw.at(-1)?.at).toBe(t0 + 3 * MINUTE_MS - 2_000);

      // The third minute is not finished: no point of a later minute has come yet.
      const minutes = await store.readMinuteTelemetry('asean-2020', 'som', 'VNM', 0);
      expect(minutes.map((m) => m.at)).toEqual([t0, t0 + MINUTE_MS]);
      expect(minutes[0]).toMatchObject({
        min: { rttMs: 40, lossInPct: 0 },
        avg: { rttMs: 40 },
        max: { rttMs: 40 },
      });
      expect(minutes[1]).toMatchObject({
        min: { rttMs: 50 },
        avg: { rttMs: 50, lossInPct: 1 },
        max: { rttMs: 50 },
      });
      expect(minutes[1]?.avg.jitterMs).toBeNull();
      expect(await store.readMinuteTelemetry('asean-2020', 'som', 'VNM', t0 + 1)).toHaveLength(1);
      expect((await store.readMinuteTelemetry('asean-2020', 'som', 'KHM', 0))[0]?.max.rttMs).toBe(200);

      expect(await store.readRawTelemetry('asean-2020', 'som', 'IDN', 0)).toEqual([]);
      expect(await store.readRawTelemetry('asean-2020', 'acc', 'VNM', 0)).toEqual([]);
      expect(await store.readMinuteTelemetry('another-summit', 'som', 'VNM', 0)).toEqual([]);
    });

    it('bounds a site to an hour of 2-s points and 48 hours of minutes', async () => {
      const store = await fresh();
      const rounds = RAW_MAX_POINTS + 300;
      for (let i = 0; i < rounds; i++)
        await store.appendTelemetry('asean-2020', 'som', [
          { site: 'VNM', at: t0 + i * 2_000, values: values(i) },
        ]);
      const newest = t0 + (rounds - 1) * 2_000;
      const raw = await store.readRawTelemetry('asean-2020', 'som', 'VNM', 0);
      expect(raw.length).toBeLessThanOrEqual(RAW_MAX_POINTS);
      expect(raw[0]?.at).toBeGreaterThanOrEqual(newest - RAW_RETENTION_MS);
      expect(raw.at(-1)?.at).toBe(newest);

      // One point a minute for 49 hours: every point finishes the minute before it.
      const days = await fresh();
      const hours = 49;
      for (let i = 0; i < hours * 60; i++)
        await days.appendTelemetry('asean-2020', 'som', [
          { site: 'VNM', at: t0 + i * MINUTE_MS, values: values(i) },
        ]);
      const minutes = await days.readMinuteTelemetry('asean-2020', 'som', 'VNM', 0);
      expect(minutes.length).toBeLessThanOrEqual(MINUTE_MAX_POINTS);
      expect(minutes.length).toBeGreaterThan(MINUTE_MAX_POINTS - 10);
      expect(minutes[0]?.at).toBeGreaterThanOrEqual(t0 + (hours * 60 - 1) * MINUTE_MS - MINUTE_RETENTION_MS);
      expect(minutes.at(-1)).toMatchObject({
        at: t0 + (hours * 60 - 2) * MINUTE_MS,
        avg: { rttMs: hours * 60 - 2 },
      });
    });

    it('keeps alerts per session, replacing by id, in raise order', async () => {
      const store = await fresh();
      await store.putAlert(
        'asean-2020',
        'som',
        alert('rtt-VNM-3000', 3_000, { rule: 'rtt', delegation: 'VNM' }),
      );
      await store.putAlert('asean-2020', 'som', alert('lossIn-KHM-1000', 1_000));
      await store.putAlert('asean-2020', 'acc', alert('lossIn-KHM-2000', 2_000));
      await store.putAlert(
        'asean-2020',
        'som',
        alert('lossIn-KHM-1000', 1_000, { acknowledgedAt: 1_500, acknowledgedBy: 'tech-1' }),
      );
      const som = await store.listAlerts('asean-2020', 'som');
      expect(som.map((a) => a.id)).toEqual(['lossIn-KHM-1000', 'rtt-VNM-3000']);
      expect(som[0]).toEqual(
        alert('lossIn-KHM-1000', 1_000, { acknowledgedAt: 1_500, acknowledgedBy: 'tech-1' }),
      );
      expect(await store.listAlerts('asean-2020', 'apt-summit')).toEqual([]);
      expect(await store.listAlerts('another-summit', 'som')).toEqual([]);
    });
  });
}

/** Five alerts, of which the 2nd and 3rd are cleared: with room for three, a1 (still up), a4 and a5 stay. */
export async function putAlerts(store: { putAlert(s: string, t: string, a: Alert): Promise<void> }) {
  for (let i = 1; i <= 5; i++)
    await store.putAlert('asean-2020', 'som', {
      id: `a${i}`,
      rule: 'rtt',
      severity: 'warning',
      delegation: 'VNM',
      raisedAt: i * 1000,
      value: 500,
      acknowledgedAt: null,
      acknowledgedBy: null,
      clearedAt: i === 2 || i === 3 ? i * 1000 + 500 : null,
    });
}
