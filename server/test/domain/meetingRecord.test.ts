// The record of the meeting, drafted from audit lines.
import type { AuditEntry } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import { buildRecord } from '../../src/domain/meetingRecord.js';
import { doc, som, T0 } from './meeting.js';

let seq = 0;
const line = (
  at: number,
  type: string,
  delegation: string | null,
  detail: object = {},
  actorDelegation = delegation,
): AuditEntry => ({
  id: `0-${++seq}`,
  at,
  sessionId: 'som',
  type,
  actor: actorDelegation
    ? {
        participantId: `p-${actorDelegation.toLowerCase()}`,
        delegation: actorDelegation,
        role: 'head_of_delegation',
      }
    : null,
  delegation,
  detail: detail as Record<string, unknown>,
});

describe('the record of the meeting', () => {
  const entries = [
    line(T0, 'join', 'IDN'),
    line(T0 + 1_000, 'join', 'IDN'),
    line(T0 + 2_000, 'statusChanged', null, { from: 'scheduled', to: 'open' }),
    line(T0 + 3_000, 'floorGiven', 'IDN', { kind: 'speak', limitMs: 300_000 }, 'VNM'),
    line(
      T0 + 3_000 + 245_000,
      'interventionEnded',
      'IDN',
      { kind: 'speak', elapsedMs: 245_000, overran: false },
      'VNM',
    ),
    line(
      T0 + 300_000,
      'adoptionOpened',
      null,
      { adoptionId: 'a1', symbol: 'ACC/2020/REC.1', version: 1, mode: 'in_session', deadline: T0 + 360_000 },
      'VNM',
    ),
    line(T0 + 310_000, 'objectionRaised', 'IDN', { adoptionId: 'a1', reason: 'para 3' }),
    line(T0 + 320_000, 'adoptionWithdrawn', null, { symbol: 'ACC/2020/REC.1', version: 1 }, 'VNM'),
    line(T0 + 400_000, 'leave', 'IDN'),
    line(T0 + 410_000, 'leave', 'IDN'),
  ];
  const record = buildRecord({
    summit: { id: doc.id, title: doc.title.en },
    session: { id: 'som', title: som.session.title.en },
    hostTimeZone: 'Asia/Ho_Chi_Minh',
    delegations: doc.delegations.filter((d) => som.ctx.delegations.includes(d.code)),
    entries,
    now: T0 + 500_000,
  });

  it('gives attendance per delegation from joins and leaves, however many connections', () => {
    const indonesia = record.attendance.find((a) => a.delegation === 'IDN');
    expect(indonesia?.periods.map((p) => [p.from.at, p.to?.at])).toEqual([[T0, T0 + 410_000]]);
    expect(record.attendance.find((a) => a.delegation === 'BRN')?.periods).toEqual([]);
  });

  it('closes the connections of an instance that died without a word when it was last seen', () => {
    const join = (at: number, code: string, connection: string, instance: string) =>
      line(at, 'join', code, { connection, instance });
    const leave = (at: number, code: string, connection: string, instance: string) =>
      line(at, 'leave', code, { connection, instance });
    const lost = (at: number, instance: string, lastSeen: number) =>
      line(at, 'instanceLost', null, { instance, lastSeen });
    const crashed = buildRecord({
      summit: { id: doc.id, title: doc.title.en },
      session: { id: 'som', title: som.session.title.en },
      hostTimeZone: 'Asia/Ho_Chi_Minh',
      delegations: doc.delegations.filter((d) => som.ctx.delegations.includes(d.code)),
      entries: [
        join(T0, 'IDN', 'c1', 'b'),
        // Singapore on two devices, one on each instance.
        join(T0, 'SGP', 'c2', 'a'),
        join(T0 + 1_000, 'SGP', 'c3', 'b'),
        // Instance b dies at T0 + 100 s; Indonesia comes back through a at T0 + 105 s.
        join(T0 + 105_000, 'IDN', 'c4', 'a'),
        lost(T0 + 130_000, 'b', T0 + 100_000),
        leave(T0 + 200_000, 'IDN', 'c4', 'a'),
        // A leave for a connection already closed changes nothing.
        leave(T0 + 210_000, 'SGP', 'c3', 'b'),
        leave(T0 + 300_000, 'SGP', 'c2', 'a'),
      ],
      now: T0 + 400_000,
    });
    const periodsOf = (code: string) =>
      crashed.attendance
        .find((a) => a.delegation === code)
        ?.periods.map((p) => [p.from.at, p.to?.at ?? null]);
    expect(periodsOf('IDN')).toEqual([
      [T0, T0 + 100_000],
      [T0 + 105_000, T0 + 200_000],
    ]);
    expect(periodsOf('SGP')).toEqual([[T0, T0 + 300_000]]);
  });

  it('lists what happened in order, in the host time zone, with the intervention and its duration', () => {
    expect(record.items.map((i) => i.kind)).toEqual([
      'session',
      'intervention',
      'adoption',
      'objection',
      'adoption',
    ]);
    expect(record.items[0]?.time.local).toBe('14/04/2020, 14:00:02');
    expect(record.items[1]?.text).toBe('Indonesia speaks, 4 min 05 s.');
    expect(record.items[3]?.text).toBe('Indonesia objects: "para 3"');
    expect(record.items[4]?.text).toContain('withdraws ACC/2020/REC.1 version 1');
  });
});
