import { can } from '@summit-bridge/protocol';
import { useEffect, useMemo } from 'react';
import type { MediaControls } from '../media/MediaSession.js';
import type { SessionController } from '../session/SessionController.js';
import type { LiveSession } from '../session/sessionReducer.js';
import { InterpretationDesk } from './InterpretationDesk.js';

/** The participant's interpretation desk in a session that offers interpretation, else null. */
export function useInterpretationDesk(
  controller: SessionController,
  live: LiveSession | null,
  media: MediaControls | null,
): InterpretationDesk | null {
  const offered = Boolean(live?.session.interpretation);
  const key = live
    ? `summit-bridge:listening:${live.summit.id}/${live.session.id}/${live.you.participantId}`
    : null;
  const role = live?.you.role;
  const desk = useMemo(() => {
    if (!offered || key === null || role === undefined) return null;
    // Interpreters hear every booth (relay), technicians monitor them: their media takes all.
    const receivesAll = can(role, 'interpretation.interpret') || can(role, 'telemetry.act');
    return new InterpretationDesk(controller, key, receivesAll);
  }, [controller, offered, key, role]);
  useEffect(() => () => desk?.close(), [desk]);
  useEffect(() => desk?.attach(media), [desk, media]);
  return desk;
}
