// Recording a session. The chair (or the secretariat) starts and stops it with a session command,
// so that every console sees it in the state and the audit trail has it. Every instance records
// its own connections' producers on the media nodes that hold them, as it applies the microphone
// policy: the floor audio (every microphone), each interpretation channel, and the camera of
// whoever holds the floor (a new stage segment at every turn). The instance that stopped the
// recording waits for every track's file to be finished, then composes the one file. While a
// recording runs, the instance that started it watches the free space and stops it, with an alert
// to the technicians, before the disk fills.
import { randomBytes } from 'node:crypto';
import { mkdir, statfs } from 'node:fs/promises';
import {
  type ProducerInfo,
  type RecordedTrack,
  type RecorderSpec,
  type RecordingStopReason,
  RequestError,
  SerialQueue,
  type SessionState,
} from '@summit-bridge/protocol';
import { type SessionKey, sameSession, sessionKeyId, sessionKeyOf } from '../domain/sessionKey.js';
import type { Actor } from '../domain/sessionMachine.js';
import type { Logger } from '../log.js';
import type { MediaNodes } from '../media/MediaNodes.js';
import type { MediaSessions } from '../media/MediaSessions.js';
import type { SessionChange, SessionService } from '../sessions/SessionService.js';
import type { TelemetryService } from '../telemetry/TelemetryService.js';
import { COMPOSED_FILE, composeArgs, runFfmpeg } from './compose.js';
import { dirOf, type RecordingManifest, readManifest, readTracks, writeManifest } from './recordingFiles.js';

export interface RecordingOptions {
  dir: string;
  minFreeBytes: number;
  ffmpeg: string;
  /** How often the free space is looked at while recording. */
  diskCheckMs?: number;
  /** How long the composer waits for every track's file to be finished. */
  finishWaitMs?: number;
}

interface ActiveRecorder {
  key: SessionKey;
  recordingId: string;
  nodeId: string;
}

/** The subject of the recorder's own alerts, where a site's code stands in others. */
export const RECORDER_SUBJECT = 'RECORDER';

export class RecordingService {
  /** This instance's recorders, by `<recording>|<producer>`. */
  private readonly active = new Map<string, ActiveRecorder>();
  /** Stage turns so far per camera producer in a recording: each turn is a track of its own. */
  private readonly stageTurns = new Map<string, number>();
  private readonly passes = new SerialQueue();
  private readonly guards = new Map<string, NodeJS.Timeout>();
  private readonly failedRecordings = new Set<string>();
  /** Recordings being composed here, by directory: one FFmpeg per file. */
  private readonly composing = new Set<string>();

  constructor(
    private readonly sessions: SessionService,
    private readonly media: MediaSessions,
    private readonly nodes: MediaNodes,
    private readonly telemetry: TelemetryService,
    private readonly log: Logger,
    private readonly options: RecordingOptions,
  ) {
    media.on('producerAdded', (key) => this.enqueue(key));
    media.on('producerClosed', (_key, producerId) => {
      for (const [k, recorder] of this.active)
        if (k.endsWith(`|${producerId}`)) {
          this.active.delete(k);
          void this.nodes
            .get(recorder.nodeId)
            .stopRecorder(sessionKeyId(recorder.key), recorder.recordingId, producerId)
            .catch(() => undefined);
        }
    });
  }

  async start(key: SessionKey, actor: Actor): Promise<{ recordingId: string; version: number }> {
    const recordingId = `r${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const state = await this.sessions.execute(key, { type: 'startRecording', recordingId }, actor);
    return { recordingId, version: state.version };
  }

  async stop(key: SessionKey, actor: Actor | null, reason: RecordingStopReason = 'requested') {
    const state = await this.sessions.execute(key, { type: 'stopRecording', reason }, actor);
    return { version: state.version };
  }

  /** A session changed, here (`here`: this instance ran the command) or on another instance. */
  sessionChanged({ key, state, events }: SessionChange, here: boolean): void {
    this.enqueue(key, state);
    if (!here) return;
    for (const event of events) {
      if (event.type === 'recordingStarted')
        void this.begin(key, event.recordingId, event.at).catch((err) =>
          this.log.error({ err, session: sessionKeyId(key) }, 'a recording could not be prepared'),
        );
      if (event.type === 'recordingStopped') {
        this.stopGuard(key);
        const { recordingId, reason, at } = event;
        // Once this instance's own recorders have stopped (the pass queued above).
        void this.passes
          .run(sessionKeyId(key), async () => undefined)
          .then(() => this.finish(key, recordingId, at, reason))
          .catch((err) => this.log.error({ err, recordingId }, 'a recording could not be finished'));
      }
    }
  }

  close(): void {
    for (const timer of this.guards.values()) clearInterval(timer);
    this.guards.clear();
  }

  private enqueue(key: SessionKey, known?: SessionState): void {
    const id = sessionKeyId(key);
    this.passes
      .run(id, async () => this.reconcile(key, known ?? (await this.sessions.state(key))))
      .catch((err) => this.log.error({ err, session: id }, 'recording pass failed'));
  }

  /** Makes this instance's recorders what the state says: the right producers, nothing else. */
  private async reconcile(key: SessionKey, state: SessionState): Promise<void> {
    const recordingId = state.recording?.id ?? null;
    const wanted = new Map<string, { nodeId: string; spec: RecorderSpec }>();
    if (recordingId)
      for (const { info, nodeId } of this.media.ownProducers(key)) {
        const spec = this.specOf(info, state, recordingId);
        if (spec) wanted.set(`${recordingId}|${info.producerId}`, { nodeId, spec });
      }
    for (const [k, recorder] of [...this.active]) {
      if (!sameSession(recorder.key, key) || wanted.has(k)) continue;
      this.active.delete(k);
      const producerId = k.split('|')[1] ?? '';
      await this.nodes
        .get(recorder.nodeId)
        .stopRecorder(sessionKeyId(key), recorder.recordingId, producerId)
        .catch((err) => this.log.warn({ err, producerId }, 'stopping a recorder failed'));
    }
    for (const [k, { nodeId, spec }] of wanted) {
      if (this.active.has(k)) continue;
      if (spec.source === 'stage') {
        const turns = (this.stageTurns.get(k) ?? 0) + 1;
        this.stageTurns.set(k, turns);
        spec.name = `${spec.name}-t${turns}`;
      }
      this.active.set(k, { key, recordingId: spec.recordingId, nodeId });
      await this.nodes
        .get(nodeId)
        .startRecorder(sessionKeyId(key), spec)
        .catch((err) => {
          this.active.delete(k);
          this.log.error({ err, producerId: spec.producerId }, 'a recorder could not start');
          this.recorderFailed(key, spec.recordingId);
        });
    }
  }

  /** What of a producer is recorded now, or null: microphones, booths, and the floor holder's camera. */
  private specOf(info: ProducerInfo, state: SessionState, recordingId: string): RecorderSpec | null {
    const who = info.delegation ?? 'staff';
    const short = info.producerId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
    const base = { recordingId, producerId: info.producerId, delegation: info.delegation, language: null };
    if (info.source === 'mic')
      return { ...base, name: `floor-${who}-${short}`, source: 'floor', kind: 'audio' };
    if (info.source === 'interpretation' && info.channel)
      return {
        ...base,
        name: `interpretation-${info.channel}-${short}`,
        source: 'interpretation',
        kind: 'audio',
        language: info.channel,
      };
    if (info.source === 'camera' && info.delegation && state.floor.current?.delegation === info.delegation)
      return { ...base, name: `stage-${who}-${short}`, source: 'stage', kind: 'video' };
    return null;
  }

  /** The technicians hear of a recorder that cannot start, once per recording on this instance. */
  private recorderFailed(key: SessionKey, recordingId: string): void {
    if (this.failedRecordings.has(recordingId)) return;
    this.failedRecordings.add(recordingId);
    void this.telemetry
      .raise(key, 'recording.recorderFailed', RECORDER_SUBJECT, null)
      .catch((err) => this.log.warn({ err }, 'raising the recorder alert failed'));
  }

  private async begin(key: SessionKey, recordingId: string, startedAt: number): Promise<void> {
    const dir = dirOf(this.options.dir, key, recordingId);
    await mkdir(dir, { recursive: true });
    await writeManifest(dir, runningManifest(recordingId, startedAt));
    this.startGuard(key);
  }

  /** Every track finished (or the wait is over), then the one file. */
  private async finish(
    key: SessionKey,
    recordingId: string,
    stoppedAt: number,
    stopReason: RecordingStopReason,
  ): Promise<void> {
    const dir = dirOf(this.options.dir, key, recordingId);
    // Its start is lost only if the instance that started it died before writing it.
    const manifest = (await readManifest(dir)) ?? runningManifest(recordingId, stoppedAt);
    const deadline = Date.now() + (this.options.finishWaitMs ?? 15_000);
    let tracks = await readTracks(dir);
    while (tracks.some((t) => t.segments.some((s) => s.endAt === null)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      tracks = await readTracks(dir);
    }
    const stopped = { ...manifest, stoppedAt, stopReason };
    await writeManifest(dir, stopped);
    await this.composeInto(dir, stopped, tracks);
  }

  /**
   * Composes a stopped recording's one file again, on request (the secretariat's, after a failure
   * or an instance lost mid-way): from the tracks as they are on disk.
   */
  async compose(key: SessionKey, recordingId: string): Promise<RecordingManifest> {
    let dir: string;
    try {
      dir = dirOf(this.options.dir, key, recordingId);
    } catch {
      throw new RequestError('not_found', `no recording ${recordingId}`);
    }
    const manifest = await readManifest(dir);
    if (!manifest) throw new RequestError('not_found', `no recording ${recordingId}`);
    if (manifest.stoppedAt === null) throw new RequestError('conflict', 'the recording is still running');
    const tracks = await readTracks(dir);
    // Checked after the last await: composeInto marks it before it awaits anything.
    if (this.composing.has(dir)) throw new RequestError('conflict', 'the recording is being composed');
    return this.composeInto(dir, manifest, tracks);
  }

  private async composeInto(
    dir: string,
    manifest: RecordingManifest,
    tracks: RecordedTrack[],
  ): Promise<RecordingManifest> {
    const stoppedAt = manifest.stoppedAt ?? Date.now();
    this.composing.add(dir);
    let done: RecordingManifest;
    try {
      await runFfmpeg(
        this.options.ffmpeg,
        composeArgs({ startedAt: manifest.startedAt, stoppedAt }, tracks, dir),
      );
      done = { ...manifest, composed: COMPOSED_FILE, composeError: null };
    } catch (err) {
      this.log.error({ err, recordingId: manifest.id }, 'composing a recording failed; its tracks are kept');
      done = { ...manifest, composed: null, composeError: (err as Error).message.slice(0, 500) };
    } finally {
      this.composing.delete(dir);
    }
    await writeManifest(dir, done);
    return done;
  }

  private startGuard(key: SessionKey): void {
    const id = sessionKeyId(key);
    this.stopGuard(key);
    const timer = setInterval(() => void this.checkDisk(id), this.options.diskCheckMs ?? 5_000);
    timer.unref();
    this.guards.set(id, timer);
    void this.checkDisk(id);
  }

  private stopGuard(key: SessionKey): void {
    const id = sessionKeyId(key);
    clearInterval(this.guards.get(id));
    this.guards.delete(id);
  }

  // Stops the recording cleanly (its files finished) while there is still room to finish them.
  private async checkDisk(id: string): Promise<void> {
    const key = sessionKeyOf(id);
    if (!key) return;
    const fs = await statfs(this.options.dir).catch(() => null);
    if (!fs) return;
    const free = fs.bavail * fs.bsize;
    if (free >= this.options.minFreeBytes) return;
    this.stopGuard(key);
    this.log.error({ session: id, freeBytes: free }, 'recording stopped: the disk is nearly full');
    await this.stop(key, null, 'diskFull').catch((err) => {
      if (!(err instanceof RequestError)) throw err;
    });
    await this.telemetry.raise(key, 'recording.diskFull', RECORDER_SUBJECT, Math.round(free / 1024 / 1024));
  }
}

/** A recording's description while it runs: started, nothing stopped or composed yet. */
const runningManifest = (id: string, startedAt: number): RecordingManifest => ({
  id,
  startedAt,
  stoppedAt: null,
  stopReason: null,
  composed: null,
  composeError: null,
});
