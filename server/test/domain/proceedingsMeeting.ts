// The SOM's proceedings, to drive the proceedings engine in tests.
import type { DocumentFile, ProceedingsState } from '@summit-bridge/protocol';
import {
  applyProceedings,
  initialProceedings,
  type ProceedingsCommand,
  type ProceedingsContext,
  type ProceedingsEvent,
} from '../../src/domain/proceedings.js';
import type { Actor } from '../../src/domain/sessionMachine.js';
import { chair, som, T0 } from './meeting.js';

export const pctx: ProceedingsContext = {
  sessionId: 'som',
  delegations: som.ctx.delegations,
  silenceMinMs: 3_600_000,
};

export const secretariat: Actor = { participantId: 'secretariat', delegation: null, role: 'secretariat' };

export const file = (language = 'en', sha = 'a'): DocumentFile => ({
  language,
  format: 'pdf',
  bytes: 1234,
  sha256: sha.repeat(64).slice(0, 64),
  uploadedAt: T0,
  uploadedBy: 'secretariat',
});

export function run(
  state: ProceedingsState,
  command: ProceedingsCommand,
  actor: Actor | null = chair,
  now = T0,
  ctx = pctx,
): { state: ProceedingsState; events: ProceedingsEvent[] } {
  const result = applyProceedings(state, command, actor, ctx, now);
  if (!result.ok) throw new Error(`${command.type} refused: ${result.error.code}: ${result.error.message}`);
  return result;
}

export function refusedWith(
  state: ProceedingsState,
  command: ProceedingsCommand,
  actor: Actor | null = chair,
  now = T0,
): string {
  const result = applyProceedings(state, command, actor, pctx, now);
  if (result.ok) throw new Error(`${command.type} was accepted`);
  return result.error.code;
}

/** The SOM with ACC/2020/REC.1 tabled (d1, version 1 in English). */
export function tabled(): ProceedingsState {
  return run(
    initialProceedings('som'),
    { type: 'tableDocument', title: 'Recommendations', symbol: 'ACC/2020/REC.1', file: file() },
    secretariat,
  ).state;
}
