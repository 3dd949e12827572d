// The one file of a recording, made after it stopped: every floor track mixed, each placed at its
// first sample's wall-clock time (so the gaps stay where they were), and the stage video laid on a
// black picture at the times it was shown. The per-track files stay as they are; only this file is
// encoded (VP8 and Opus, WebM: what every browser plays). The FFmpeg command is built here, pure.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RecordedTrack } from '@summit-bridge/protocol';

export const COMPOSED_FILE = 'session.webm';
const WIDTH = 1280;
const HEIGHT = 720;

interface Placed {
  file: string;
  offsetMs: number;
}

/** Each segment of the chosen tracks with samples in it, and where it starts in the recording. */
function placed(tracks: RecordedTrack[], pick: (t: RecordedTrack) => boolean, startedAt: number): Placed[] {
  return tracks
    .filter(pick)
    .flatMap((t) => t.segments)
    .filter((s) => s.startAt !== null && s.packets > 0)
    .map((s) => ({ file: s.file, offsetMs: Math.max(0, Math.round((s.startAt ?? 0) - startedAt)) }))
    .sort((a, b) => a.offsetMs - b.offsetMs);
}

/** FFmpeg's arguments for the composed file of a recording that ran from startedAt to stoppedAt. */
export function composeArgs(
  recording: { startedAt: number; stoppedAt: number },
  tracks: RecordedTrack[],
  dir: string,
): string[] {
  const duration = Math.max(1, (recording.stoppedAt - recording.startedAt) / 1000).toFixed(3);
  const audio = placed(tracks, (t) => t.source === 'floor' && t.kind === 'audio', recording.startedAt);
  const video = placed(tracks, (t) => t.source === 'stage' && t.kind === 'video', recording.startedAt);
  const inputs = [...audio, ...video].flatMap((p) => ['-i', join(dir, p.file)]);
  const graph: string[] = [];
  audio.forEach((a, i) => {
    graph.push(`[${i}:a]asetpts=PTS-STARTPTS,aresample=48000,adelay=delays=${a.offsetMs}:all=1[a${i}]`);
  });
  graph.push(
    audio.length
      ? `${audio.map((_, i) => `[a${i}]`).join('')}amix=inputs=${audio.length}:normalize=0:dropout_transition=0,apad,atrim=0:${duration}[aout]`
      : `anullsrc=r=48000:cl=stereo,atrim=0:${duration}[aout]`,
  );
  graph.push(`color=c=black:s=${WIDTH}x${HEIGHT}:r=15:d=${duration}[v]`);
  let base = 'v';
  video.forEach((v, j) => {
    const input = audio.length + j;
    graph.push(
      `[${input}:v]scale=${WIDTH}:${HEIGHT}:force_original_aspect_ratio=decrease,` +
        `pad=${WIDTH}:${HEIGHT}:(ow-iw)/2:(oh-ih)/2,setpts=PTS-STARTPTS+${(v.offsetMs / 1000).toFixed(3)}/TB[s${j}]`,
    );
    graph.push(`[${base}][s${j}]overlay=eof_action=pass[o${j}]`);
    base = `o${j}`;
  });
  graph.push(`[${base}]format=yuv420p[vout]`);
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...inputs,
    ...['-filter_complex', graph.join(';'), '-map', '[vout]', '-map', '[aout]'],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M', '-g', '60'],
    ...['-c:a', 'libopus', '-b:a', '64k', '-t', duration, '-f', 'webm', join(dir, COMPOSED_FILE)],
  ];
}

/** Runs FFmpeg; its last words when it fails. */
export function runFfmpeg(ffmpeg: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-1_000);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr.trim()}`)),
    );
  });
}
