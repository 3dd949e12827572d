import type { AdoptionMode } from '@summit-bridge/protocol';

/** How long the chair gives the meeting: seconds in session, hours for a written silence procedure. */
export interface ProcedureSettings {
  mode: AdoptionMode;
  /** Seconds in session; hours for silence. */
  amount: number;
}

export const defaultSettings: ProcedureSettings = { mode: 'in_session', amount: 60 };

export function procedureDurationSec({ mode, amount }: ProcedureSettings): number {
  return mode === 'in_session' ? Math.round(amount) : Math.round(amount * 3600);
}
