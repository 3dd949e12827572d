// The one placement rule, for workers in a node and nodes in a cluster alike: properties that must
// hold for any hosts and loads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Candidate, chooseHome, hostForTransport, type Spread } from '../src/placement.js';

const ids = ['a', 'b', 'c', 'd', 'e'];
const candidateArb = fc.record({
  id: fc.constantFrom(...ids),
  load: fc.integer({ min: 0, max: 1000 }),
  region: fc.option(fc.constantFrom('asia', 'oceania'), { nil: undefined }),
});
const candidatesArb = fc.uniqueArray(candidateArb, { selector: (c) => c.id, maxLength: 5 });
const spreadArb = (candidates: Candidate[]) =>
  fc.record({
    home: fc.constantFrom(...(candidates.length ? candidates.map((c) => c.id) : ['a'])),
    used: fc
      .dictionary(fc.constantFrom(...ids), fc.integer({ min: 0, max: 400 }), { maxKeys: 5 })
      .map((d) => new Map(Object.entries(d))),
    threshold: fc.integer({ min: 1, max: 300 }),
  });

describe('chooseHome', () => {
  it('keeps a healthy home, otherwise takes the least loaded candidate, never a non-candidate', () => {
    fc.assert(
      fc.property(candidatesArb, fc.option(fc.constantFrom(...ids), { nil: null }), (candidates, current) => {
        const home = chooseHome(current, candidates);
        if (candidates.length === 0) {
          expect(home).toBeNull();
          return;
        }
        expect(candidates.map((c) => c.id)).toContain(home);
        if (current !== null && candidates.some((c) => c.id === current)) expect(home).toBe(current);
        else
          expect(candidates.find((c) => c.id === home)?.load).toBe(
            Math.min(...candidates.map((c) => c.load)),
          );
      }),
    );
  });
});

describe('hostForTransport', () => {
  it('puts every send transport at home while home is a candidate', () => {
    fc.assert(
      fc.property(
        candidatesArb.chain((c) => fc.tuple(fc.constant(c), spreadArb(c))),
        ([candidates, spread]) => {
          expect(hostForTransport('send', spread as Spread, candidates)).toBe(spread.home);
        },
      ),
    );
  });

  it('sends on a candidate the session uses (else any) when home is draining, silent or full', () => {
    fc.assert(
      fc.property(
        candidatesArb.chain((c) => fc.tuple(fc.constant(c), spreadArb(c))),
        ([all, spread]) => {
          const candidates = all.filter((c) => c.id !== spread.home);
          const chosen = hostForTransport('send', spread as Spread, candidates);
          if (candidates.length === 0) {
            expect(chosen).toBe(spread.home);
            return;
          }
          expect(candidates.map((c) => c.id)).toContain(chosen);
          const used = candidates.filter((c) => spread.used.has(c.id));
          const pool = used.length ? used : candidates;
          expect(candidates.find((c) => c.id === chosen)?.load).toBe(Math.min(...pool.map((c) => c.load)));
          if (used.length) expect(spread.used.has(chosen)).toBe(true);
        },
      ),
    );
  });

  it('receives only on a candidate, with room when any used candidate has room, in the region when it can', () => {
    fc.assert(
      fc.property(
        candidatesArb.filter((c) => c.length > 0).chain((c) => fc.tuple(fc.constant(c), spreadArb(c))),
        fc.option(fc.constantFrom('asia', 'oceania'), { nil: undefined }),
        ([candidates, spreadIn], region) => {
          const spread = {
            ...spreadIn,
            used: new Map([...spreadIn.used, [spreadIn.home, spreadIn.used.get(spreadIn.home) ?? 0]]),
          };
          const chosen = hostForTransport('recv', spread, candidates, region);
          expect(candidates.map((c) => c.id)).toContain(chosen);
          const consumers = (id: string) => spread.used.get(id) ?? 0;
          const roomy = candidates.filter((c) => consumers(c.id) < spread.threshold);
          const inRegion = roomy.filter((c) => region !== undefined && c.region === region);
          if (inRegion.length) expect(inRegion.map((c) => c.id)).toContain(chosen);
          else if (roomy.some((c) => spread.used.has(c.id)) || roomy.some((c) => !spread.used.has(c.id)))
            expect(consumers(chosen)).toBeLessThan(spread.threshold);
        },
      ),
    );
  });

  it('fills home first, then opens the least loaded new host', () => {
    const candidates = [
      { id: 'home', load: 50 },
      { id: 'busy', load: 90 },
      { id: 'idle', load: 10 },
    ];
    const spread = (homeConsumers: number) => ({
      home: 'home',
      used: new Map([['home', homeConsumers]]),
      threshold: 100,
    });
    expect(hostForTransport('recv', spread(99), candidates)).toBe('home');
    expect(hostForTransport('recv', spread(100), candidates)).toBe('idle');
    // A region with a node of its own receives there even while home has room.
    expect(
      hostForTransport(
        'recv',
        spread(0),
        [...candidates, { id: 'sydney', load: 80, region: 'oceania' }],
        'oceania',
      ),
    ).toBe('sydney');
  });
});
