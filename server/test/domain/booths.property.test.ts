// The booths' invariants over random sequences of what interpreters do and of departures: one
// voice at most per channel, only a booth's own interpreters on air in it, a relay always leads
// back to the floor, a departure never leaves its interpreter on air.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBoothCommand,
  type BoothCommand,
  type Booths,
  type Interpreter,
  initialBooths,
  onAir,
  relayChain,
} from '../../src/domain/booths.js';

const languages = ['en', 'vi', 'zh', 'ja'];
const interpreters: Interpreter[] = languages.flatMap((booth) =>
  [1, 2, 3].map((n) => ({ participantId: `interp-${booth}-${n}`, booth })),
);
const boothOf = (participantId: string) => participantId.split('-')[1];

type Step = { command: BoothCommand; by: Interpreter | null };

const anyInterpreter = fc.constantFrom(...interpreters);
const anyStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: anyInterpreter.map((by) => ({ command: { type: 'takeOver' } as const, by })) },
  { weight: 3, arbitrary: anyInterpreter.map((by) => ({ command: { type: 'handOver' } as const, by })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ by: anyInterpreter, on: fc.boolean() })
      .map(({ by, on }) => ({ command: { type: 'cough', on } as const, by })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ by: anyInterpreter, input: fc.constantFrom('floor', ...languages, 'ko') })
      .map(({ by, input }) => ({ command: { type: 'setBoothInput', input } as const, by })),
  },
  {
    weight: 2,
    arbitrary: anyInterpreter.map((who) => ({
      command: { type: 'interpreterLeft', participantId: who.participantId, booth: who.booth } as const,
      by: null,
    })),
  },
);

function checkInvariants(booths: Booths): void {
  for (const [language, b] of Object.entries(booths)) {
    expect(b.language).toBe(language);
    // One voice at most per channel, and only one of the booth's own.
    const voices = interpreters.filter((i) => onAir(booths, language, i.participantId));
    expect(voices.length).toBeLessThanOrEqual(1);
    if (b.live !== null) expect(boothOf(b.live)).toBe(language);
    expect(b.live === null).toBe(b.liveSince === null);
    if (b.coughing) expect(b.live).not.toBeNull();
    if (b.dropped) expect(b.live).toBeNull();
    if (b.handover?.kind === 'offer') expect(b.handover.by).toBe(b.live);
    if (b.handover?.kind === 'request') {
      expect(b.live).not.toBeNull();
      expect(b.handover.by).not.toBe(b.live);
      expect(boothOf(b.handover.by)).toBe(language);
    }
    // Every relay leads back to the floor, through each booth at most once.
    const chain = relayChain(booths, language);
    expect(new Set(chain).size).toBe(chain.length);
    expect(chain.length).toBeLessThanOrEqual(languages.length);
    const last = chain.at(-1);
    expect(last === undefined ? 'floor' : booths[last]?.input).toBe('floor');
  }
}

describe('booth invariants', () => {
  it('hold after every step of any sequence', () => {
    fc.assert(
      fc.property(fc.array(anyStep, { maxLength: 80 }), (steps) => {
        let booths = initialBooths({ floor: 'fil', booths: languages });
        let now = 1_700_000_000_000;
        for (const { command, by } of steps) {
          now += 500;
          const result = applyBoothCommand(booths, command, by, now);
          if (!result.ok) continue;
          if (command.type === 'interpreterLeft') {
            const b = result.booths[command.booth];
            expect(b?.live).not.toBe(command.participantId);
            expect(b?.handover?.by).not.toBe(command.participantId);
          }
          for (const event of result.events)
            if (event.type === 'interpreterLive')
              expect(result.booths[event.booth]?.live).toBe(event.participantId);
          // Only the acting interpreter's booth changes.
          const touched = command.type === 'interpreterLeft' ? command.booth : by?.booth;
          for (const language of languages)
            if (language !== touched) expect(result.booths[language]).toBe(booths[language]);
          booths = result.booths;
          checkInvariants(booths);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a refused command changes nothing', () => {
    fc.assert(
      fc.property(fc.array(anyStep, { maxLength: 40 }), anyStep, (before, step) => {
        let booths = initialBooths({ floor: 'fil', booths: languages });
        for (const { command, by } of before) {
          const result = applyBoothCommand(booths, command, by, 1);
          if (result.ok) booths = result.booths;
        }
        const snapshot = structuredClone(booths);
        const result = applyBoothCommand(booths, step.command, step.by, 2);
        if (!result.ok) expect(booths).toEqual(snapshot);
      }),
      { numRuns: 200 },
    );
  });
});
