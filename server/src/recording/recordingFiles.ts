// A session's recordings on disk: one directory per recording, as the media nodes write it
// (<root>/<summit>/<session>/<recording>/), with each track's description (<track>.json) beside its
// files and the recording's own (recording.json) written by the signaling server.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordedTrack, type RecordingSummary } from '@summit-bridge/protocol';
import { recordingDir } from '@summit-bridge/sfu';
import { type SessionKey, sessionKeyId } from '../domain/sessionKey.js';

export type RecordingManifest = Omit<RecordingSummary, 'tracks'>;

const MANIFEST = 'recording.json';
/** What may be served from a recording's directory: its media files and descriptions, nothing else. */
export const servableFile = /^[A-Za-z0-9][A-Za-z0-9._-]{0,160}\.(webm|json)$/;

export const dirOf = (root: string, key: SessionKey, recordingId: string) =>
  recordingDir(root, sessionKeyId(key), recordingId);

export async function writeManifest(dir: string, manifest: RecordingManifest): Promise<void> {
  const path = join(dir, MANIFEST);
  await writeFile(`${path}.tmp`, JSON.stringify(manifest, null, 2));
  await rename(`${path}.tmp`, path);
}

export async function readManifest(dir: string): Promise<RecordingManifest | null> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as RecordingManifest;
  } catch {
    return null;
  }
}

/** The tracks the media nodes described in a recording's directory (a half-written one is skipped). */
export async function readTracks(dir: string): Promise<RecordedTrack[]> {
  const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.json') && n !== MANIFEST);
  const tracks: RecordedTrack[] = [];
  for (const name of names.sort()) {
    const parsed = RecordedTrack.safeParse(
      await readFile(join(dir, name), 'utf8')
        .then(JSON.parse)
        .catch(() => null),
    );
    if (parsed.success) tracks.push(parsed.data);
  }
  return tracks;
}

/** Every recording of a session, the newest first. */
export async function listRecordings(root: string, key: SessionKey): Promise<RecordingSummary[]> {
  const sessionDir = join(root, key.summitId, key.sessionId);
  const ids = await readdir(sessionDir).catch(() => []);
  const all: RecordingSummary[] = [];
  for (const id of ids) {
    const dir = join(sessionDir, id);
    const manifest = await readManifest(dir);
    if (manifest) all.push({ ...manifest, tracks: await readTracks(dir) });
  }
  return all.sort((a, b) => b.startedAt - a.startedAt);
}
