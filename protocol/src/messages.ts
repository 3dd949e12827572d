import { z } from 'zod';
import { MicPolicy, RequestKind, SessionState } from './floor.js';
import { DelegationCode, MediaId, SessionId } from './ids.js';
import {
  BOOTH_MESSAGE_MAX,
  BoothInput,
  BoothMessage,
  ListeningChoice,
  SpokenLanguage,
} from './interpretation.js';
import { LobbyStatus, LobbyView } from './lobby.js';
import {
  ConsumerLayers,
  ConsumerOptions,
  DtlsParameters,
  IceParameters,
  IceServers,
  kindCarried,
  kindOfSource,
  MediaKind,
  MediaSource,
  ProducerCloseReason,
  ProducerInfo,
  RtpCapabilities,
  RtpParameters,
  TransportOptions,
} from './media.js';
import { AllowPresenter, PresentationsStopped, StopPresentation } from './presentation.js';
import {
  AdoptionId,
  CallVote,
  CastBallot,
  OpenAdoption,
  ProceedingsState,
  RaiseObjection,
  ScrollDocument,
  ShowDocument,
  VoteId,
} from './proceedings.js';
import { RecordingStarted, StartRecording, StopRecording } from './recording.js';
import type { Action } from './roles.js';
import { Presence, Snapshot } from './snapshot.js';
import { Alert, ClientReport, TelemetrySample, TelemetrySnapshot } from './telemetry.js';

const empty = z.strictObject({});
const versioned = z.object({ version: z.number().int() });

/** The permission a request needs: fixed, or decided by its parsed payload. */
type ActionOf<P extends z.ZodType> = Action | ((payload: z.output<P>) => Action);

// `A` keeps each request's action as a literal type, so code can read a fixed action without a payload.
function request<P extends z.ZodType, R extends z.ZodType, A extends ActionOf<P>>(
  action: A,
  payload: P,
  response: R,
) {
  return { action, payload, response };
}

export function actionFor<P extends z.ZodType>(action: ActionOf<P>, payload: z.output<P>): Action {
  return typeof action === 'function' ? action(payload) : action;
}

/**
 * Every client -> server request: its permission, its payload schema, its answer on success.
 * A request is `socket.emit(name, payload, ack)`; the ack receives `{ ok: true, ...response }`
 * or `{ ok: false, error: { code, message, path? } }`.
 */
export const clientRequests = {
  'session:snapshot': request('session.join', empty, Snapshot),
  'session:time': request(
    'session.join',
    z.strictObject({ clientTime: z.number() }),
    z.object({ serverTime: z.number() }),
  ),
  'session:setStatus': request(
    'session.control',
    z.strictObject({ status: z.enum(['open', 'suspended', 'closed']) }),
    versioned,
  ),

  'floor:request': request(
    'floor.request',
    z.strictObject({ kind: RequestKind.default('speak') }),
    versioned,
  ),
  'floor:withdraw': request('floor.withdraw', empty, versioned),
  'floor:pass': request('floor.pass', empty, versioned),
  'floor:give': request('floor.give', z.strictObject({ delegation: DelegationCode.optional() }), versioned),
  'floor:takeBack': request('floor.takeBack', empty, versioned),
  'floor:move': request(
    'floor.reorder',
    z.strictObject({ delegation: DelegationCode, position: z.number().int().min(0).max(1000) }),
    versioned,
  ),
  'floor:remove': request('floor.reorder', z.strictObject({ delegation: DelegationCode }), versioned),
  'floor:setLimit': request(
    'floor.timer',
    z.strictObject({
      limitSec: z.number().int().min(10).max(3600).nullable(),
      scope: z.enum(['current', 'default']),
    }),
    versioned,
  ),
  'floor:pauseTimer': request('floor.timer', empty, versioned),
  'floor:resumeTimer': request('floor.timer', empty, versioned),
  'floor:startTour': request('floor.tour', empty, versioned),
  'floor:nextInTour': request('floor.tour', empty, versioned),
  'floor:endTour': request('floor.tour', empty, versioned),
  'floor:setMicPolicy': request('floor.micPolicy', z.strictObject({ policy: MicPolicy }), versioned),
  'floor:mute': request(
    'floor.mute',
    z.strictObject({ delegation: DelegationCode, muted: z.boolean() }),
    versioned,
  ),

  /** An interpreter, in its own booth: on air now, or ask the live boothmate to hand over. */
  'booth:takeOver': request('interpretation.interpret', empty, versioned),
  /** The live interpreter: to the boothmate who asked, or announce it to the partners. */
  'booth:handOver': request('interpretation.interpret', empty, versioned),
  /** The live interpreter's cough button: silent while held. */
  'booth:cough': request('interpretation.interpret', z.strictObject({ on: z.boolean() }), versioned),
  /** What the interpreter's booth interprets from: the floor or another booth (relay). */
  'booth:setInput': request('interpretation.interpret', z.strictObject({ input: BoothInput }), versioned),
  /** A short text to one's boothmates and the technicians (a technician names the booth). */
  'booth:message': request(
    'interpretation.message',
    z.strictObject({
      booth: SpokenLanguage.optional(),
      text: z.string().trim().min(1).max(BOOTH_MESSAGE_MAX),
    }),
    z.object({}),
  ),
  /**
   * What this connection hears: the floor, or one booth's channel (the floor underneath). The
   * SFU lets it consume that channel only; its consumers of another channel are closed.
   */
  'interpretation:listen': request(
    'interpretation.listen',
    z.strictObject({ channel: ListeningChoice }),
    z.object({ channel: ListeningChoice }),
  ),

  'media:capabilities': request('media.consume', empty, z.object({ routerRtpCapabilities: RtpCapabilities })),
  'media:createTransport': request(
    'media.consume',
    z.strictObject({ direction: z.enum(['send', 'recv']), forceTcp: z.boolean().default(false) }),
    TransportOptions,
  ),
  'media:connectTransport': request(
    'media.consume',
    z.strictObject({ transportId: MediaId, dtlsParameters: DtlsParameters }),
    z.object({}),
  ),
  /** Fresh TURN credentials (none when TURN is not configured): the client asks before they expire. */
  'media:iceServers': request('media.consume', empty, IceServers),
  /** Gives back a transport no longer needed (the pre-join check's probes); its media goes with it. */
  'media:closeTransport': request('media.consume', z.strictObject({ transportId: MediaId }), z.object({})),
  'media:restartIce': request(
    'media.consume',
    z.strictObject({ transportId: MediaId }),
    z.object({ iceParameters: IceParameters }),
  ),
  'media:produce': request(
    (p: { kind: MediaKind }) => (p.kind === 'audio' ? 'media.publishAudio' : 'media.publishVideo'),
    z
      .strictObject({
        transportId: MediaId,
        kind: MediaKind,
        rtpParameters: RtpParameters,
        source: MediaSource,
      })
      // Kind, source and codecs must agree: the floor policy decides by what a producer carries.
      .superRefine(({ kind, source, rtpParameters }, ctx) => {
        const carried = kindCarried(rtpParameters);
        if (carried !== kind)
          ctx.addIssue({
            code: 'custom',
            path: ['rtpParameters', 'codecs'],
            message: carried
              ? `the codecs carry ${carried}, not ${kind}`
              : 'the codecs mix or name no media kind',
          });
        else if (kindOfSource[source] !== kind)
          ctx.addIssue({
            code: 'custom',
            path: ['source'],
            message: `a ${source} carries ${kindOfSource[source]}`,
          });
      }),
    z.object({ producerId: MediaId }),
  ),
  'media:pauseProducer': request('media.manageOwn', z.strictObject({ producerId: MediaId }), z.object({})),
  'media:resumeProducer': request(
    'media.publishAudio',
    z.strictObject({ producerId: MediaId }),
    z.object({}),
  ),
  'media:closeProducer': request('media.manageOwn', z.strictObject({ producerId: MediaId }), z.object({})),
  'media:consume': request(
    'media.consume',
    z.strictObject({ transportId: MediaId, producerId: MediaId, rtpCapabilities: RtpCapabilities }),
    ConsumerOptions,
  ),
  'media:resumeConsumer': request('media.consume', z.strictObject({ consumerId: MediaId }), z.object({})),
  'media:pauseConsumer': request('media.consume', z.strictObject({ consumerId: MediaId }), z.object({})),
  'media:setPreferredLayers': request(
    'media.consume',
    z.strictObject({ consumerId: MediaId, ...ConsumerLayers.shape }),
    z.object({}),
  ),

  /** The chair lets a delegation present without the floor (or no longer); audited. */
  'presentation:allow': request('presentation.control', AllowPresenter, versioned),
  /** The chair stops every screen shared in the session; they are closed for everyone. */
  'presentation:stop': request('presentation.control', StopPresentation, PresentationsStopped),

  /** The chair or the secretariat starts recording the session; every console shows it; audited. */
  'recording:start': request('recording.control', StartRecording, RecordingStarted),
  /** Stops it; the session's file is composed afterwards. */
  'recording:stop': request('recording.control', StopRecording, versioned),

  /** Who waits in the lobby (staff and chairs). */
  'lobby:list': request('lobby.read', empty, LobbyView),
  'lobby:admit': request(
    'lobby.manage',
    z.strictObject({ connectionId: z.string().min(1).max(64) }),
    z.object({}),
  ),
  'lobby:refuse': request(
    'lobby.manage',
    z.strictObject({ connectionId: z.string().min(1).max(64) }),
    z.object({}),
  ),
  /** Admits every connection of a delegation that waits. */
  'lobby:admitDelegation': request(
    'lobby.manage',
    z.strictObject({ delegation: DelegationCode }),
    z.object({ admitted: z.number().int() }),
  ),

  /** Every 2 s from each client: what its browser measures of its own link. */
  'telemetry:report': request('telemetry.report', ClientReport, z.object({})),
  'telemetry:snapshot': request('telemetry.read', empty, TelemetrySnapshot),
  'telemetry:acknowledge': request(
    'telemetry.act',
    z.strictObject({ alertId: z.string().min(1).max(128) }),
    z.object({ alert: Alert }),
  ),
  /** Asks every connection of a site to restart ICE (the site gets media:restartIce). */
  'telemetry:restartIce': request(
    'telemetry.act',
    z.strictObject({ delegation: DelegationCode }),
    z.object({ connections: z.number().int() }),
  ),
  /** Caps the spatial layer of every video the site receives (null lifts the cap). */
  'telemetry:limitLayer': request(
    'telemetry.act',
    z.strictObject({ delegation: DelegationCode, spatialLayer: z.number().int().min(0).max(2).nullable() }),
    z.object({}),
  ),

  /** The session's documents, what is on screen, adoptions and votes (documents go up over HTTP). */
  'proceedings:snapshot': request('documents.read', empty, ProceedingsState),
  'proceedings:show': request('documents.present', ShowDocument, versioned),
  'proceedings:scroll': request('documents.present', ScrollDocument, versioned),
  'proceedings:hide': request('documents.present', empty, versioned),
  'proceedings:openAdoption': request('adoption.manage', OpenAdoption, versioned),
  'proceedings:object': request('adoption.object', RaiseObjection, versioned),
  'proceedings:withdrawAdoption': request(
    'adoption.manage',
    z.strictObject({ adoptionId: AdoptionId }),
    versioned,
  ),
  'proceedings:callVote': request('vote.manage', CallVote, versioned),
  'proceedings:castBallot': request('vote.cast', CastBallot, versioned),
  'proceedings:closeVote': request('vote.manage', z.strictObject({ voteId: VoteId }), versioned),
} as const;

export type RequestName = keyof typeof clientRequests;
export type RequestPayload<N extends RequestName> = z.input<(typeof clientRequests)[N]['payload']>;
export type ParsedPayload<N extends RequestName> = z.output<(typeof clientRequests)[N]['payload']>;
export type ResponseOf<N extends RequestName> = z.infer<(typeof clientRequests)[N]['response']>;

/** Every server -> client push. State pushes carry the session `version`: a gap means resync. */
export const serverPushes = {
  'session:updated': SessionState,
  'presence:updated': Presence,
  'media:producerAdded': ProducerInfo,
  'media:producerUpdated': ProducerInfo,
  /** A producer is gone; `reason` when the server closed it (the floor moved on, the chair stopped it). */
  'media:producerClosed': z.object({ producerId: MediaId, reason: ProducerCloseReason.optional() }),
  'media:consumerClosed': z.object({ consumerId: MediaId }),
  'media:consumerLayers': z.object({ consumerId: MediaId, layers: ConsumerLayers.nullable() }),
  'media:activeSpeaker': z.object({ delegation: DelegationCode.nullable() }),
  /** The media path broke on the server (a worker died): recreate transports, producers, consumers. */
  'media:reconnect': z.object({ reason: z.string() }),
  /** A technician asked this site to restart ICE on its transports. */
  'media:restartIce': z.object({}),
  /** To technicians only: a sampling round of every site. */
  'telemetry:sample': TelemetrySample,
  /** To technicians only: an alert raised, acknowledged or cleared. */
  'telemetry:alert': Alert,
  /** To those who see the lobby: who waits now. */
  'lobby:updated': LobbyView,
  /** To a booth's interpreters and the session's technicians. */
  'booth:message': BoothMessage,
  /**
   * To technicians, about every 800 ms while anyone speaks: the level (dBov, -127..0) of each
   * booth channel heard now, from the booths whose interpreters this instance serves; a booth
   * missing is silent.
   */
  'booth:levels': z.object({ levels: z.record(z.string(), z.number().min(-127).max(0)), at: z.number() }),
  /** To a waiting connection: still waiting, admitted (it may now take part) or refused. */
  'lobby:status': LobbyStatus,
  /** The session's proceedings changed (a document tabled, a procedure opened, closed…). */
  'proceedings:updated': ProceedingsState,
} as const;

export type PushName = keyof typeof serverPushes;
export type PushPayload<N extends PushName> = z.infer<(typeof serverPushes)[N]>;

/**
 * The signaling heartbeat (socket.io's ping), which both ends must agree on. The server pings
 * every `intervalMs`; the consoles show the link as lost once a ping is `graceMs` late (within
 * 3 s: a live meeting must know within 5 s). Dropping the connection, which rebuilds all media,
 * waits longer: the server drops a client whose pong is `timeoutMs` late, socket.io's client a
 * link without a ping for interval + timeout (7 s) — a machine starved for 2 s (seen in tests
 * on two busy cores) must not lose its media over it.
 */
export const heartbeat = { intervalMs: 2_000, timeoutMs: 5_000, graceMs: 1_000 } as const;

/**
 * socket.io handshake `auth`: a participant's token and the session to join with it. Not strict:
 * socket.io-client adds its own recovery fields (`pid`, `offset`) when it reconnects.
 */
export const Handshake = z.object({
  token: z.string().min(1).max(4096),
  sessionId: SessionId,
});
export type Handshake = z.infer<typeof Handshake>;
