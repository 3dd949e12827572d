import { z } from 'zod';
import { DelegationCode, MediaId, ParticipantId } from './ids.js';
import { Role } from './roles.js';

/** A connection waiting in a session's lobby, as the staff who admit it see it. */
export const LobbyEntry = z.object({
  connectionId: z.string().max(64),
  participantId: ParticipantId,
  /** The name in the token: who the invitation was for. */
  name: z.string(),
  role: Role,
  delegation: DelegationCode.nullable(),
  since: z.number(),
  /** The delegation already has someone in the session: this is another device. */
  delegationInside: z.boolean(),
  /** The camera the waiting person shows the staff (consumable by them only), if any. */
  cameraProducerId: MediaId.nullable(),
});
export type LobbyEntry = z.infer<typeof LobbyEntry>;

export const LobbyView = z.object({ waiting: z.array(LobbyEntry) });
export type LobbyView = z.infer<typeof LobbyView>;

/** Where a connection stands with the lobby: pushed to it when it changes. */
export const LobbyStatus = z.object({ state: z.enum(['waiting', 'admitted', 'refused']) });
export type LobbyStatus = z.infer<typeof LobbyStatus>;

/**
 * What a connection may ask while it waits: the clock, what it takes to show its camera to the
 * staff, and transports (the pre-join connectivity test probes one). Nothing of the session
 * (state, people, media: no consumer) until it is admitted.
 */
export const requestsWhileWaiting: ReadonlySet<string> = new Set([
  'session:time',
  'media:capabilities',
  'media:createTransport',
  'media:connectTransport',
  'media:restartIce',
  'media:closeTransport',
  'media:iceServers',
  'media:produce',
  'media:pauseProducer',
  'media:resumeProducer',
  'media:closeProducer',
]);
