// Presentations in the audit trail: who began to share a screen, and how each ended (the presenter
// stopped, the floor moved on, the chair stopped it). Each instance writes the lines of its own
// connections' presentations, so each line is written once.
import { isPresentationSource } from '@summit-bridge/protocol';
import type { AuditLog } from '../audit/AuditLog.js';
import type { MediaSessions } from './MediaSessions.js';

export function auditPresentations(media: MediaSessions, audit: AuditLog): void {
  const shown = new Map<string, { delegation: string | null; source: string; participantId: string }>();
  media.on('producerAdded', (key, info) => {
    if (!isPresentationSource(info.source) || shown.has(info.producerId)) return;
    const { delegation, source, participantId } = info;
    shown.set(info.producerId, { delegation, source, participantId });
    void audit.append(key.summitId, {
      sessionId: key.sessionId,
      type: 'presentationStarted',
      actor: null,
      delegation,
      detail: { producerId: info.producerId, source, participantId },
    });
  });
  media.on('producerClosed', (key, producerId, reason) => {
    const presentation = shown.get(producerId);
    if (!presentation) return;
    shown.delete(producerId);
    void audit.append(key.summitId, {
      sessionId: key.sessionId,
      type: 'presentationEnded',
      actor: null,
      delegation: presentation.delegation,
      detail: { producerId, source: presentation.source, reason: reason ?? 'presenterStopped' },
    });
  });
}
