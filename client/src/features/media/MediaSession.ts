import {
  type MediaSource,
  type ProducerCloseReason,
  type ProducerInfo,
  SerialQueue,
  type TransportOptions,
} from '@summit-bridge/protocol';
import { Device } from 'mediasoup-client';
import type {
  ConnectionState,
  Consumer,
  TransportOptions as DeviceTransportOptions,
  IceParameters,
  Producer,
  ProducerOptions,
  RtpCapabilities,
  RtpEncodingParameters,
  RtpParameters,
  Transport,
} from 'mediasoup-client/types';
import { Store } from '../../shared/store.js';
import type { Signaling } from '../../signaling/Signaling.js';
import { pageRelaySwitch, type RelayChoice } from '../join/joinLink.js';
import { IceWatchdog } from './IceWatchdog.js';
import { refreshDelayMs, relayServers } from './iceServers.js';
import type { StatsEntry, TransportStatsInput } from './linkReport.js';

/**
 * What a tile on screen needs of a remote camera: which simulcast stream (0: 320, 1: 640, 2: 1280
 * pixels wide) and which temporal layer (0: 7.5, 1: 15, 2: 30 frames a second). A tile that
 * needs nothing (out of view, too small) has no demand: nothing is sent to it, nothing decoded.
 */
export interface Demand {
  spatialLayer: number;
  temporalLayer: number;
}

export interface LocalSource {
  track: MediaStreamTrack | null;
  producerId: string | null;
  pausedByYou: boolean;
}

/** This participant's presentation: the shared screen (a screen, a window or a tab) and its sound. */
export interface Presentation {
  track: MediaStreamTrack;
  producerId: string | null;
}

export interface MediaState {
  mic: LocalSource;
  camera: LocalSource;
  /** What this participant shares now, if anything. */
  presentation: Presentation | null;
  /** Received tracks by producer id: one consumer per producer, so one tile per producer. */
  remote: Readonly<Record<string, MediaStreamTrack>>;
  transports: { send: ConnectionState | null; recv: ConnectionState | null };
}

/** What the consoles may do with the media. */
export interface MediaControls {
  readonly store: Store<MediaState>;
  setEnabled(source: StudioSource, on: boolean): Promise<void>;
  replaceTrack(source: StudioSource, track: MediaStreamTrack): Promise<void>;
  /** Shares a screen, a window or a tab (from getDisplayMedia), with its sound if it has one. */
  startPresenting(stream: MediaStream): Promise<void>;
  /** Stops sharing: the producers close for everyone, the capture stops. */
  stopPresenting(): Promise<void>;
  /** A tile's demand on a remote camera; null when it needs nothing (or is gone). */
  setDemand(producerId: string, tile: string, demand: Demand | null): void;
  /** The cameras of those waiting in the lobby (for the staff who admit them). */
  setLobbyCameras(cameras: readonly ProducerInfo[]): void;
  /**
   * The interpretation channels received: one language, every channel ('all': interpreters and
   * technicians), or none. The server must have been told first (interpretation:listen).
   */
  setChannels(channels: Channels): void;
}

export type Channels = 'all' | string | null;

export interface MediaSessionOptions {
  signaling: Signaling;
  participantId: string;
  forceTcp: boolean;
  /**
   * Through the TURN relay only, over this transport (the diagnostic switch in the page's
   * fragment when not given); null: every path, the relay among them if the server offers one.
   */
  relay?: RelayChoice | null;
  /** Owned by the caller, who stops them; a device switch writes the new track into this object. */
  tracks: { mic: MediaStreamTrack | null; camera: MediaStreamTrack | null };
  /** Off from the start: a reload keeps a microphone the participant had turned off. */
  startPaused?: { mic: boolean; camera: boolean } | undefined;
  /** Something the participant should know about went wrong (publishing failed, and why). */
  onProblem(error: unknown): void;
  /**
   * In the session's lobby: only the camera is sent (to the staff who admit), nothing received,
   * until `admitted()`.
   */
  waitingInLobby?: boolean;
  /** What the microphone is sent as: an interpreter's goes into its booth's channel. */
  voiceSource?: 'mic' | 'interpretation';
}

/** What a console sends from its own devices: its microphone and its camera. */
export type StudioSource = Extract<MediaSource, 'mic' | 'camera'>;

// Three VP8 layers: a thumbnail for the gallery, a middle step, and the studio picture for the stage.
export const cameraEncodings: RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 1_500_000, scalabilityMode: 'L1T3' },
];

/**
 * A shared screen is read, not watched: one stream at full resolution (text on slides stays sharp)
 * and a low frame rate, in three temporal layers so a weak link drops frames, never detail. VP8
 * with temporal layers is what every browser encodes; simulcast's smaller copies would only blur
 * the text, and VP9 SVC is not offered in the profile our router has (see the README).
 */
export const screenEncodings: RtpEncodingParameters[] = [
  { maxBitrate: 2_500_000, maxFramerate: 15, scalabilityMode: 'L1T3' },
];

const maxConsumeAttempts = 3;

const emptySource = (track: MediaStreamTrack | null, pausedByYou = false): LocalSource => ({
  track,
  producerId: null,
  pausedByYou,
});

// The server's mediasoup produced these; the protocol schema has checked their shape. The ICE
// servers are ours to choose from, and the policy says whether only the relay may be used.
const forDevice = (options: TransportOptions, relay: RelayChoice | null): DeviceTransportOptions => ({
  ...(options as unknown as DeviceTransportOptions),
  iceServers: relayServers(options.iceServers ?? [], relay),
  iceTransportPolicy: relay ? 'relay' : 'all',
});

/** Several tiles showing one camera (the floor holder on the stage and in the gallery): the most any needs. */
function strongest(demands: Iterable<Demand>): Demand | null {
  const all = [...demands];
  if (all.length === 0) return null;
  return {
    spatialLayer: Math.max(...all.map((d) => d.spatialLayer)),
    temporalLayer: Math.max(...all.map((d) => d.temporalLayer)),
  };
}

const sameDemand = (a: Demand | null, b: Demand | null) =>
  a === b ||
  (a !== null && b !== null && a.spatialLayer === b.spatialLayer && a.temporalLayer === b.temporalLayer);

// Audio is always heard: the server decides who is forwarded, not the tiles.
const voice: Demand = { spatialLayer: 0, temporalLayer: 0 };

/**
 * This participant's media in one session: the mediasoup device, a send and a receive
 * transport, its microphone and camera producers, one consumer per remote producer.
 * Everything is rebuilt from scratch after a reconnect; a generation number makes work
 * started for an older build drop its results.
 */
export class MediaSession implements MediaControls {
  readonly store: Store<MediaState>;
  private readonly signaling: Signaling;
  private readonly relay: RelayChoice | null;
  /** Asks for new TURN credentials before the transports' expire. */
  private iceServersTimer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private closed = false;
  private device: Device | null = null;
  private send: Transport | null = null;
  private recv: Transport | null = null;
  private watchdogs: IceWatchdog[] = [];
  private producers: Partial<Record<StudioSource, Producer>> = {};
  /** The presentation's producers: its screen, and its sound when the capture has one. */
  private shown: { screen: Producer | null; sound: Producer | null } = { screen: null, sound: null };
  /** The capture being shared; stopped when the presentation ends, however it ends. */
  private display: MediaStream | null = null;
  private readonly consumers = new Map<string, Consumer>();
  private readonly consuming = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private wanted: readonly ProducerInfo[] = [];
  /** Cameras of people waiting in the lobby, for staff who admit them. */
  private lobbyCameras: readonly ProducerInfo[] = [];
  /** Interpretation channels received: none until the console chooses. */
  private channels: Channels = null;
  private waiting: boolean;
  private readonly demands = new Map<string, Map<string, Demand>>();
  /** What each consumer was last set to: null while paused. */
  private readonly applied = new Map<string, Demand | null>();
  /** Pause, resume and layer changes per consumer, one after the other. */
  private demandChanges = new SerialQueue();

  constructor(private readonly options: MediaSessionOptions) {
    this.signaling = options.signaling;
    this.waiting = options.waitingInLobby ?? false;
    this.relay = options.relay === undefined ? pageRelaySwitch() : options.relay;
    const paused = options.startPaused ?? { mic: false, camera: false };
    // Silent before its producer exists, so an off microphone never goes on air for a moment.
    for (const source of ['mic', 'camera'] as const) {
      const track = options.tracks[source];
      if (track && paused[source]) track.enabled = false;
    }
    this.store = new Store<MediaState>({
      mic: emptySource(options.tracks.mic, paused.mic),
      camera: emptySource(options.tracks.camera, paused.camera),
      presentation: null,
      remote: {},
      transports: { send: null, recv: null },
    });
  }

  start(): Promise<void> {
    return this.build(++this.generation);
  }

  /** The media path broke (worker died, signaling reconnected): recreate it, keeping the tracks. */
  rebuild(): Promise<void> {
    this.teardown();
    return this.build(++this.generation);
  }

  /** The producers the session has: consume the new ones, drop the gone ones. */
  setProducers(producers: readonly ProducerInfo[]): void {
    this.wanted = producers.filter((p) => p.participantId !== this.options.participantId);
    this.reconcile();
  }

  /** The cameras of those waiting in the lobby (for the staff who admit them). */
  setLobbyCameras(cameras: readonly ProducerInfo[]): void {
    this.lobbyCameras = cameras;
    this.reconcile();
  }

  /**
   * Let in from the lobby: receive, and send the microphone too. The camera shown to the staff is
   * already the session's (the server made it everyone's).
   */
  async admitted(): Promise<void> {
    if (!this.waiting) return;
    this.waiting = false;
    const generation = this.generation;
    // A build still under way sees `waiting` turned off and does the rest itself.
    if (!this.device) return;
    this.recv ??= await this.createTransport('recv', generation);
    this.reconcile();
    if (!this.send || this.producers.mic) return;
    try {
      await this.produce('mic', generation);
    } catch (error) {
      if (!this.stale(generation)) this.options.onProblem(error);
    }
  }

  async setEnabled(source: StudioSource, on: boolean): Promise<void> {
    this.updateSource(source, { pausedByYou: !on });
    const producer = this.producers[source];
    if (!producer) return;
    if (on) {
      try {
        await this.signaling.request('media:resumeProducer', { producerId: producer.id });
      } catch (error) {
        this.updateSource(source, { pausedByYou: true });
        throw error;
      }
      producer.resume();
    } else {
      // Silence locally first: off means off, even if the server hears of it late.
      producer.pause();
      await this.signaling.request('media:pauseProducer', { producerId: producer.id });
    }
  }

  /** A device switch: the producer keeps its id, the others see no change but the picture or voice. */
  async replaceTrack(source: StudioSource, track: MediaStreamTrack): Promise<void> {
    const old = this.store.get()[source].track;
    this.options.tracks[source] = track;
    this.updateSource(source, { track });
    const producer = this.producers[source];
    if (producer) await producer.replaceTrack({ track });
    else if (this.send) await this.produce(source, this.generation);
    if (old && old !== track) old.stop();
  }

  async startPresenting(stream: MediaStream): Promise<void> {
    const [track] = stream.getVideoTracks();
    if (!track || this.display) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    const generation = this.generation;
    this.display = stream;
    // Text and lines: the encoder keeps the resolution and gives up frames under pressure.
    track.contentHint = 'detail';
    // The browser's own "Stop sharing" ends the capture: the presentation ends with it.
    track.addEventListener('ended', () => void this.stopPresenting());
    this.store.update((s) => ({ ...s, presentation: { track, producerId: null } }));
    try {
      this.send ??= await this.createTransport('send', generation);
      const send = this.send;
      const device = this.device;
      if (!send || !device || this.stale(generation)) throw new Error('the media connection is not ready');
      const vp8 = device.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
      const screen = await send.produce({
        track,
        stopTracks: false,
        encodings: screenEncodings,
        codec: vp8,
        codecOptions: { videoGoogleStartBitrate: 1000 },
        appData: { source: 'screen' },
      });
      this.shown.screen = screen;
      this.store.update((s) => ({ ...s, presentation: { track, producerId: screen.id } }));
      const [sound] = stream.getAudioTracks();
      if (sound && this.display === stream)
        this.shown.sound = await send.produce({
          track: sound,
          stopTracks: false,
          codecOptions: { opusStereo: true, opusDtx: false },
          appData: { source: 'screenAudio' },
        });
      // Stopped meanwhile (by the participant, the chair or the floor moving on).
      if (this.display !== stream) this.endPresentation();
    } catch (error) {
      await this.stopPresenting();
      throw error;
    }
  }

  async stopPresenting(): Promise<void> {
    const ids = [this.shown.screen?.id, this.shown.sound?.id].filter((id) => id !== undefined);
    this.endPresentation();
    await Promise.all(
      ids.map((producerId) =>
        // Already gone on the server (the chair stopped it): nothing more to do.
        this.signaling.request('media:closeProducer', { producerId }).catch(() => undefined),
      ),
    );
  }

  /**
   * A producer of the session closed. One of this presentation's, closed by the server: the
   * presentation is over here too. Returns why the server ended it, or null if it did not.
   */
  producerClosed(producerId: string, reason: ProducerCloseReason | undefined): ProducerCloseReason | null {
    const ours = this.shown.screen?.id === producerId || this.shown.sound?.id === producerId;
    if (!ours) return null;
    this.endPresentation();
    return reason ?? null;
  }

  setDemand(producerId: string, tile: string, demand: Demand | null): void {
    const tiles = this.demands.get(producerId) ?? new Map<string, Demand>();
    if (demand === null) tiles.delete(tile);
    else tiles.set(tile, demand);
    if (tiles.size === 0) this.demands.delete(producerId);
    else this.demands.set(producerId, tiles);
    this.applyDemand(producerId);
  }

  /** The server closed one of our consumers: forget it, and consume again if still wanted. */
  consumerClosed(consumerId: string): void {
    for (const [producerId, consumer] of this.consumers) {
      if (consumer.id === consumerId) this.dropConsumer(producerId);
    }
    this.reconcile();
  }

  /** A technician asked for it, or the transport stalled: new ICE credentials, same transports. */
  async restartIce(): Promise<void> {
    await Promise.all(
      [this.send, this.recv].filter((t) => t !== null).map((t) => this.restartTransportIce(t)),
    );
  }

  /** Bytes received per consumer, for diagnostics and the browser tests. */
  async inboundStats(): Promise<{ producerId: string; kind: string; bytesReceived: number }[]> {
    const result: { producerId: string; kind: string; bytesReceived: number }[] = [];
    for (const [producerId, consumer] of this.consumers) {
      let bytesReceived = 0;
      for (const stat of (await consumer.getStats()).values()) {
        if (stat.type === 'inbound-rtp')
          bytesReceived += (stat as RTCInboundRtpStreamStats).bytesReceived ?? 0;
      }
      result.push({ producerId, kind: consumer.kind, bytesReceived });
    }
    return result;
  }

  /** Each open transport's state and getStats(), for the telemetry report. */
  async linkStats(): Promise<TransportStatsInput[]> {
    const open = [
      ['send', this.send],
      ['recv', this.recv],
    ] as const;
    const read = open.flatMap(([direction, transport]) =>
      transport && !transport.closed
        ? [
            transport.getStats().then((stats) => ({
              direction,
              state: transport.connectionState,
              stats: stats as unknown as ReadonlyMap<string, StatsEntry>,
            })),
          ]
        : [],
    );
    return Promise.all(read);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    this.teardown();
  }

  private stale(generation: number): boolean {
    return this.closed || generation !== this.generation;
  }

  private async build(generation: number): Promise<void> {
    const { routerRtpCapabilities } = await this.signaling.request('media:capabilities', {});
    if (this.stale(generation)) return;
    const device = new Device();
    await device.load({ routerRtpCapabilities: routerRtpCapabilities as RtpCapabilities });
    if (this.stale(generation)) return;
    this.device = device;
    // From the lobby nothing is received: the session is not yet this participant's to see.
    if (!this.waiting) {
      this.recv = await this.createTransport('recv', generation);
      if (!this.recv) return;
      this.reconcile();
    }
    const { mic, camera } = this.options.tracks;
    if (!mic && !camera) return;
    this.send = await this.createTransport('send', generation);
    if (!this.send) return;
    for (const source of this.waiting ? (['camera'] as const) : (['mic', 'camera'] as const)) {
      try {
        await this.produce(source, generation);
      } catch (error) {
        if (!this.stale(generation)) this.options.onProblem(error);
      }
    }
  }

  private async createTransport(direction: 'send' | 'recv', generation: number): Promise<Transport | null> {
    const options = await this.signaling.request('media:createTransport', {
      direction,
      // The relay reaches the media node's UDP port from the TURN server: never TCP-only then.
      forceTcp: this.options.forceTcp && !this.relay,
    });
    const device = this.device;
    if (this.stale(generation) || !device) return null;
    const transport =
      direction === 'send'
        ? device.createSendTransport(forDevice(options, this.relay))
        : device.createRecvTransport(forDevice(options, this.relay));
    if (options.iceServersValidForSec) this.refreshIceServersIn(options.iceServersValidForSec, generation);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.signaling
        .request('media:connectTransport', { transportId: transport.id, dtlsParameters })
        .then(() => done(), fail);
    });
    transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
      this.signaling
        .request('media:produce', {
          transportId: transport.id,
          kind,
          rtpParameters,
          // An interpreter's microphone speaks into its booth's channel, not onto the floor.
          source:
            appData.source === 'mic' && this.options.voiceSource
              ? this.options.voiceSource
              : (appData.source as MediaSource),
        })
        .then(({ producerId }) => done({ id: producerId }), fail);
    });
    const watchdog = new IceWatchdog(() => this.restartTransportIce(transport));
    this.watchdogs.push(watchdog);
    transport.on('connectionstatechange', (state) => {
      watchdog.onState(state);
      if (this.stale(generation)) return;
      this.store.update((s) => ({ ...s, transports: { ...s.transports, [direction]: state } }));
    });
    return transport;
  }

  /** New credentials before the old expire, so that an ICE restart can still allocate a relay. */
  private refreshIceServersIn(validForSec: number, generation: number): void {
    clearTimeout(this.iceServersTimer);
    this.iceServersTimer = setTimeout(async () => {
      if (this.stale(generation)) return;
      try {
        const fresh = await this.signaling.request('media:iceServers', {});
        if (this.stale(generation)) return;
        const iceServers = relayServers(fresh.iceServers, this.relay);
        for (const t of [this.send, this.recv]) if (t && !t.closed) await t.updateIceServers({ iceServers });
        this.refreshIceServersIn(fresh.validForSec, generation);
      } catch {
        // The link is down: the rebuild after the reconnect brings new credentials.
        if (!this.stale(generation)) this.refreshIceServersIn(10, generation);
      }
    }, refreshDelayMs(validForSec));
  }

  private async restartTransportIce(transport: Transport): Promise<void> {
    if (transport.closed) return;
    const { iceParameters } = await this.signaling.request('media:restartIce', { transportId: transport.id });
    if (!transport.closed) await transport.restartIce({ iceParameters: iceParameters as IceParameters });
  }

  /** The presentation ends here: its producers closed, its capture stopped. */
  private endPresentation(): void {
    this.shown.screen?.close();
    this.shown.sound?.close();
    this.shown = { screen: null, sound: null };
    for (const track of this.display?.getTracks() ?? []) track.stop();
    this.display = null;
    if (this.store.get().presentation) this.store.update((s) => ({ ...s, presentation: null }));
  }

  private async produce(source: StudioSource, generation: number): Promise<void> {
    const track = this.options.tracks[source];
    const send = this.send;
    const device = this.device;
    if (!track || !send || !device || this.producers[source]) return;
    const common = { track, stopTracks: false, appData: { source } } satisfies ProducerOptions;
    const vp8 = device.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
    const producer = await send.produce(
      source === 'camera'
        ? {
            ...common,
            encodings: cameraEncodings,
            codec: vp8,
            codecOptions: { videoGoogleStartBitrate: 1000 },
          }
        : { ...common, codecOptions: { opusFec: true, opusDtx: true } },
    );
    if (this.stale(generation)) {
      producer.close();
      return;
    }
    this.producers[source] = producer;
    this.updateSource(source, { producerId: producer.id });
    if (this.store.get()[source].pausedByYou) {
      producer.pause();
      await this.signaling.request('media:pauseProducer', { producerId: producer.id });
    }
  }

  setChannels(channels: Channels): void {
    this.channels = channels;
    // A channel refused before the server heard of the choice is worth asking for again.
    for (const p of this.wanted) if (p.channel) this.attempts.delete(p.producerId);
    this.reconcile();
  }

  private allWanted(): readonly ProducerInfo[] {
    const channels = this.channels;
    const heard =
      channels === 'all'
        ? this.wanted
        : this.wanted.filter((p) => p.channel === undefined || p.channel === channels);
    return this.lobbyCameras.length ? [...heard, ...this.lobbyCameras] : heard;
  }

  private reconcile(): void {
    if (!this.recv || !this.device || this.closed) return;
    const wanted = this.allWanted();
    const wantedIds = new Set(wanted.map((p) => p.producerId));
    for (const producerId of [...this.consumers.keys()]) {
      if (!wantedIds.has(producerId)) this.dropConsumer(producerId);
    }
    for (const info of wanted) {
      const id = info.producerId;
      if (this.consumers.has(id) || this.consuming.has(id)) continue;
      if ((this.attempts.get(id) ?? 0) >= maxConsumeAttempts) continue;
      void this.consume(info, this.generation);
    }
  }

  private async consume(info: ProducerInfo, generation: number): Promise<void> {
    const recv = this.recv;
    const device = this.device;
    if (!recv || !device) return;
    const id = info.producerId;
    this.consuming.add(id);
    this.attempts.set(id, (this.attempts.get(id) ?? 0) + 1);
    try {
      const options = await this.signaling.request('media:consume', {
        transportId: recv.id,
        producerId: id,
        rtpCapabilities: device.recvRtpCapabilities,
      });
      if (this.stale(generation)) return;
      const consumer = await recv.consume({
        id: options.id,
        producerId: options.producerId,
        kind: options.kind,
        rtpParameters: options.rtpParameters as unknown as RtpParameters,
      });
      if (this.stale(generation) || !this.allWanted().some((p) => p.producerId === id)) {
        consumer.close();
        return;
      }
      this.consumers.set(id, consumer);
      this.attempts.delete(id);
      // The server creates consumers paused: nothing flows until a tile (or the speaker) asks.
      this.applied.set(id, null);
      consumer.on('transportclose', () => this.dropConsumer(id));
      this.store.update((s) => ({ ...s, remote: { ...s.remote, [id]: consumer.track } }));
      this.applyDemand(id);
    } catch {
      // The producer may have closed meanwhile; the next push or snapshot decides whether to retry.
    } finally {
      if (!this.stale(generation)) this.consuming.delete(id);
    }
  }

  private dropConsumer(producerId: string): void {
    this.consumers.get(producerId)?.close();
    this.consumers.delete(producerId);
    this.applied.delete(producerId);
    this.store.update((s) => {
      if (!(producerId in s.remote)) return s;
      const { [producerId]: _gone, ...remote } = s.remote;
      return { ...s, remote };
    });
  }

  /** Pause, resume and layer changes for one consumer run one after the other. */
  private applyDemand(producerId: string): void {
    this.demandChanges
      .run(producerId, () => this.applyDemandNow(producerId))
      .catch(() => {
        this.applied.delete(producerId); // unknown now: the next change sends everything again
      });
  }

  private async applyDemandNow(producerId: string): Promise<void> {
    const consumer = this.consumers.get(producerId);
    if (!consumer || consumer.closed) return;
    const had = this.applied.get(producerId) ?? null;
    const want = consumer.kind === 'audio' ? voice : strongest(this.demands.get(producerId)?.values() ?? []);
    if (sameDemand(want, had)) return;
    this.applied.set(producerId, want);
    const consumerId = consumer.id;
    if (want === null) {
      consumer.pause();
      await this.signaling.request('media:pauseConsumer', { consumerId });
      return;
    }
    if (consumer.kind === 'video') {
      await this.signaling.request('media:setPreferredLayers', { consumerId, ...want });
    }
    if (had === null) {
      await this.signaling.request('media:resumeConsumer', { consumerId });
      consumer.resume();
    }
  }

  private updateSource(source: StudioSource, change: Partial<LocalSource>): void {
    this.store.update((s) => ({ ...s, [source]: { ...s[source], ...change } }));
  }

  private teardown(): void {
    clearTimeout(this.iceServersTimer);
    for (const watchdog of this.watchdogs) watchdog.close();
    this.watchdogs = [];
    for (const producer of Object.values(this.producers)) producer.close();
    this.producers = {};
    // A rebuilt media path starts without a presentation: the floor may have moved meanwhile.
    this.endPresentation();
    for (const consumer of this.consumers.values()) consumer.close();
    this.consumers.clear();
    this.consuming.clear();
    this.attempts.clear();
    this.applied.clear();
    this.demandChanges = new SerialQueue();
    this.send?.close();
    this.recv?.close();
    this.send = null;
    this.recv = null;
    this.device = null;
    this.store.update((s) => ({
      ...s,
      mic: { ...s.mic, producerId: null },
      camera: { ...s.camera, producerId: null },
      remote: {},
      transports: { send: null, recv: null },
    }));
  }
}
