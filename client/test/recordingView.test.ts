import type { RecordedSegment } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import {
  awaitingComposition,
  composePoll,
  durationOf,
  formatElapsed,
  formatGap,
  gapsOf,
  mayStartRecording,
  shouldPollAgain,
} from '../src/features/recording/recordingView.js';
import { recordingSummary } from './fixtures.js';

const recording = recordingSummary;

const segment = (
  file: string,
  startAt: number | null,
  endAt: number | null,
  endedBy: RecordedSegment['endedBy'] = 'recorderDied',
): RecordedSegment => ({
  file,
  startAt,
  endAt,
  packets: 100,
  repaired: 0,
  lost: 0,
  endedBy,
});

describe('elapsed time', () => {
  it('shows minutes and seconds under an hour', () => {
    expect(formatElapsed(0)).toBe('00:00');
    expect(formatElapsed(999)).toBe('00:00');
    expect(formatElapsed(5_000)).toBe('00:05');
    expect(formatElapsed((12 * 60 + 34) * 1000)).toBe('12:34');
    expect(formatElapsed(3_599_999)).toBe('59:59');
  });

  it('shows hours from the first hour on, without padding them', () => {
    expect(formatElapsed(3_600_000)).toBe('1:00:00');
    expect(formatElapsed((1 * 3600 + 2 * 60 + 3) * 1000)).toBe('1:02:03');
    expect(formatElapsed(26 * 3_600_000 + 59_000)).toBe('26:00:59');
  });

  it('never counts below zero (a clock slightly behind the server’s)', () => {
    expect(formatElapsed(-1_500)).toBe('00:00');
    expect(formatElapsed(Number.NaN)).toBe('00:00');
  });

  it('rounds a gap up, so a short gap never reads 00:00', () => {
    expect(formatGap(300)).toBe('00:01');
    expect(formatGap(4_000)).toBe('00:04');
    expect(formatGap(4_001)).toBe('00:05');
  });

  it('gives a recording’s duration once it stopped', () => {
    expect(durationOf(recording())).toBe(60_000);
    expect(durationOf(recording({ stoppedAt: null }))).toBeNull();
  });
});

describe('starting a recording', () => {
  const running = { id: 'r1a2b3c4d', startedAt: 0, by: null };

  it('is offered while the session is open or suspended and nothing is recorded', () => {
    expect(mayStartRecording('open', null)).toBe(true);
    expect(mayStartRecording('suspended', null)).toBe(true);
    expect(mayStartRecording('scheduled', null)).toBe(false);
    expect(mayStartRecording('closed', null)).toBe(false);
    expect(mayStartRecording('open', running)).toBe(false);
  });
});

describe('waiting for the composed file', () => {
  const stopped = { recordingId: 'r1a2b3c4d', seenAt: 50_000 };

  it('waits while the stopped recording has neither a file nor a failure', () => {
    expect(awaitingComposition([recording()], 'r1a2b3c4d')).toBe(true);
    expect(awaitingComposition([recording({ composed: 'r1a2b3c4d.webm' })], 'r1a2b3c4d')).toBe(false);
    expect(awaitingComposition([recording({ composeError: 'ffmpeg exited 1' })], 'r1a2b3c4d')).toBe(false);
  });

  it('waits for a recording the server does not list yet', () => {
    expect(awaitingComposition([], 'r1a2b3c4d')).toBe(true);
    expect(awaitingComposition([recording({ id: 'rother123', composed: 'x.webm' })], 'r1a2b3c4d')).toBe(true);
  });

  it('looks only at the recording that stopped, not at older ones', () => {
    const list = [recording({ composed: 'new.webm' }), recording({ id: 'rolder123' })];
    expect(awaitingComposition(list, 'r1a2b3c4d')).toBe(false);
  });

  it('polls again only within a minute of the stop', () => {
    const list = [recording()];
    expect(shouldPollAgain(list, stopped, stopped.seenAt)).toBe(true);
    expect(shouldPollAgain(list, stopped, stopped.seenAt + composePoll.forMs - 1)).toBe(true);
    expect(shouldPollAgain(list, stopped, stopped.seenAt + composePoll.forMs)).toBe(false);
    expect(composePoll).toEqual({ everyMs: 2000, forMs: 60_000 });
  });

  it('stops polling once composed or failed, and never polls without a stop', () => {
    expect(shouldPollAgain([recording({ composed: 'f.webm' })], stopped, stopped.seenAt + 2000)).toBe(false);
    expect(shouldPollAgain([recording({ composeError: 'no video' })], stopped, stopped.seenAt)).toBe(false);
    expect(shouldPollAgain([recording()], null, 0)).toBe(false);
  });
});

describe('gaps in a track', () => {
  it('finds none in a track written in one go', () => {
    expect(gapsOf([])).toEqual([]);
    expect(gapsOf([segment('floor-IDN-p1-1.webm', 1000, 9000)])).toEqual([]);
  });

  it('finds one between every two segments, with its times and length', () => {
    const segments = [
      segment('floor-IDN-p1-1.webm', 1_000, 10_000),
      segment('floor-IDN-p1-2.webm', 14_000, 20_000),
      segment('floor-IDN-p1-3.webm', 20_000, 30_000),
    ];
    expect(gapsOf(segments)).toEqual([
      { after: 0, from: 10_000, to: 14_000, ms: 4_000 },
      // Back-to-back times still mean the recorder restarted: the boundary is shown.
      { after: 1, from: 20_000, to: 20_000, ms: 0 },
    ]);
  });

  it('keeps a gap whose times are unknown, without a length', () => {
    const segments = [segment('a-1.webm', 1_000, null), segment('a-2.webm', null, null)];
    expect(gapsOf(segments)).toEqual([{ after: 0, from: null, to: null, ms: null }]);
  });

  it('sees no gap where a held-back microphone ended a segment, nor after the last', () => {
    const segments = [
      segment('floor-IDN-p1-1.webm', 1_000, 10_000, 'silence'),
      segment('floor-IDN-p1-2.webm', 60_000, 70_000, 'recorderDied'),
      segment('floor-IDN-p1-3.webm', 71_000, 80_000, 'stop'),
    ];
    expect(gapsOf(segments)).toEqual([{ after: 1, from: 70_000, to: 71_000, ms: 1_000 }]);
  });

  it('never gives a negative length when the times overlap', () => {
    const segments = [segment('a-1.webm', 0, 10_000), segment('a-2.webm', 9_500, 12_000)];
    expect(gapsOf(segments)[0]?.ms).toBe(0);
  });
});
