// The recordings running on a media node: one TrackRecorder per (recording, producer), each in the
// directory of its recording under the node's recording root. The server decides what is recorded
// and when; the node records the producers that live here.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedTrack } from '@summit-bridge/protocol';
import type { Router } from 'mediasoup/types';
import { MediaNodeError, type NodeLogger } from '../MediaNode.js';
import { TrackRecorder } from './TrackRecorder.js';

export interface RecordingsOptions {
  /** The root every session's recordings go under; recording is refused without one. */
  dir: string | undefined;
  ffmpeg: string;
  log: NodeLogger;
  dropRate?: number | undefined;
  onRestart: (sessionId: string, recordingId: string, track: RecordedTrack) => void;
}

export type RecorderSpec = Omit<RecordedTrack, 'segments'> & { recordingId: string };

const safePart = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A recording's directory: the session's id (summit/session) and the recording's, each checked. */
export function recordingDir(root: string, sessionId: string, recordingId: string): string {
  const parts = [...sessionId.split('/'), recordingId];
  if (!parts.every((p) => safePart.test(p)))
    throw new MediaNodeError('invalid_payload', 'a recording path part is not a plain name');
  return join(root, ...parts);
}

export class Recordings {
  private readonly recorders = new Map<string, { sessionId: string; recorder: Promise<TrackRecorder> }>();

  constructor(private readonly options: RecordingsOptions) {}

  /** Records a producer that lives on `router` (idempotent). */
  async start(sessionId: string, router: Router, spec: RecorderSpec): Promise<void> {
    const { dir: root, ffmpeg, log } = this.options;
    if (!root) throw new MediaNodeError('unavailable', 'this media node has no recording directory');
    const key = `${spec.recordingId}|${spec.producerId}`;
    if (this.recorders.has(key)) return;
    const { recordingId, ...track } = spec;
    const dir = recordingDir(root, sessionId, recordingId);
    const recorder = mkdir(dir, { recursive: true }).then(() =>
      TrackRecorder.start({
        router,
        track,
        dir,
        ffmpeg,
        log,
        ...(this.options.dropRate ? { dropRate: this.options.dropRate } : {}),
        onRestart: (t) => this.options.onRestart(sessionId, recordingId, t),
      }),
    );
    this.recorders.set(key, { sessionId, recorder });
    recorder.catch(() => this.recorders.delete(key));
    await recorder;
  }

  /** Stops one track's recorder; what it wrote (null if it was not recording here). */
  async stop(recordingId: string, producerId: string): Promise<RecordedTrack | null> {
    const key = `${recordingId}|${producerId}`;
    const entry = this.recorders.get(key);
    if (!entry) return null;
    this.recorders.delete(key);
    return (await entry.recorder).stop();
  }

  /** Stops every track of a recording here. */
  async stopAll(recordingId: string): Promise<RecordedTrack[]> {
    const producers = [...this.recorders.keys()]
      .filter((k) => k.startsWith(`${recordingId}|`))
      .map((k) => k.split('|')[1] ?? '');
    const tracks = await Promise.all(producers.map((p) => this.stop(recordingId, p).catch(() => null)));
    return tracks.filter((t): t is RecordedTrack => t !== null);
  }

  /** The node closes: every file is finished first. */
  async close(): Promise<void> {
    const all = [...this.recorders.values()];
    this.recorders.clear();
    await Promise.allSettled(all.map(async (e) => (await e.recorder).stop()));
  }
}
