import { readFileSync } from 'node:fs';
import { inPrecedenceOrder, SummitDocument } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import { demoSummit } from '../../src/demo/index.js';
import { sessionDelegations } from '../../src/domain/summit.js';

const raw: unknown = JSON.parse(
  readFileSync(new URL('../../src/demo/asean-2020.json', import.meta.url), 'utf8'),
);
const members = ['BRN', 'KHM', 'IDN', 'LAO', 'MYS', 'MMR', 'PHL', 'SGP', 'THA', 'VNM'];

describe('the demo summit asean-2020', () => {
  it('is a valid summit document hosted by Viet Nam in Ha Noi time', () => {
    const doc = SummitDocument.parse(raw);
    expect(doc).toEqual(demoSummit());
    expect(doc.id).toBe('asean-2020');
    expect(doc.host).toEqual({ delegation: 'VNM', timeZone: 'Asia/Ho_Chi_Minh' });
    for (const d of doc.delegations) expect(d.name.vi).toBeTruthy();
  });

  it('lists the members in English alphabetical order, then the Secretariat, then the partners', () => {
    const doc = demoSummit();
    const order = inPrecedenceOrder(doc.delegations);
    expect(order.map((d) => d.code)).toEqual([...members, 'ASEC', 'CHN', 'JPN', 'KOR', 'AUS']);
    const memberNames = order.filter((d) => d.kind === 'member').map((d) => d.name.en);
    expect(memberNames).toEqual([...memberNames].sort());
    expect(doc.delegations.find((d) => d.code === 'ASEC')?.kind).toBe('secretariat');
  });

  it('has the five sessions with their chairs and make-up, each seated in protocol order', () => {
    const doc = demoSummit();
    const makeUp = Object.fromEntries(
      doc.sessions.map((s) => [
        s.id,
        { chairs: s.chairs, seats: sessionDelegations(doc, s).map((d) => d.code) },
      ]),
    );
    const asean = [...members, 'ASEC'];
    expect(makeUp).toEqual({
      som: { chairs: ['VNM'], seats: asean },
      acc: { chairs: ['VNM'], seats: asean },
      'special-summit': { chairs: ['VNM'], seats: asean },
      'apt-summit': { chairs: ['VNM'], seats: [...asean, 'CHN', 'JPN', 'KOR'] },
      'asean-australia': { chairs: ['MYS', 'AUS'], seats: [...asean, 'AUS'] },
    });
    for (const s of doc.sessions) {
      expect(s.schedule.timeZone).toBe('Asia/Ho_Chi_Minh');
      expect(s.schedule.start).toMatch(/^2020-0[45]-\d\dT\d\d:\d\d:00\+07:00$/);
    }
  });

  it('holds both special summits on 14 April 2020, the ASEAN+3 one after the ASEAN one', () => {
    const doc = demoSummit();
    const at = (id: string) => doc.sessions.find((s) => s.id === id)?.schedule;
    expect(at('special-summit')?.start.slice(0, 10)).toBe('2020-04-14');
    expect(at('apt-summit')?.start.slice(0, 10)).toBe('2020-04-14');
    expect(Date.parse(at('apt-summit')?.start ?? '')).toBeGreaterThanOrEqual(
      Date.parse(at('special-summit')?.end ?? ''),
    );
  });
});
