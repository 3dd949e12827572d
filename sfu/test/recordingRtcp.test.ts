// The recorder's own RTCP and RTP reading, pure: NACKs built as RFC 4585 packs them, sender
// reports read back, RTP clocks mapped to wall time across a wrap, key frames found.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rtpPacket, senderReport, vp8Payload } from '../src/bench/rtp.js';
import {
  genericNack,
  nackedSequenceNumbers,
  senderReports,
  startsKeyFrame,
  wallClockOf,
} from '../src/recording/rtcp.js';

describe('the recorder’s RTCP', () => {
  it('asks in a NACK for exactly the packets it is given, whatever they are', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 65_535 }), { minLength: 1, maxLength: 60 }),
        (seqs) => {
          const nack = genericNack(1, 2, seqs);
          expect(nack[1]).toBe(205);
          expect((nack.readUInt16BE(2) + 1) * 4).toBe(nack.length);
          expect(new Set(nackedSequenceNumbers(nack))).toEqual(new Set(seqs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('packs neighbours into one entry', () => {
    expect(genericNack(1, 2, [100, 101, 116, 117]).length).toBe(12 + 2 * 4);
  });

  it('reads the sender report out of a compound packet, and maps RTP time across a wrap', () => {
    const report = senderReport({
      ssrc: 7,
      wallClockMs: 1_796_000_000_250,
      rtpTimestamp: 0xffff_ff00,
      packetCount: 1,
      octetCount: 1,
    });
    const receiverReport = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 9]);
    const [read] = senderReports(Buffer.concat([receiverReport, report]));
    expect(read?.ssrc).toBe(7);
    expect(read?.rtpTimestamp).toBe(0xffff_ff00);
    expect(read?.wallClockMs).toBeCloseTo(1_796_000_000_250, 0);
    if (!read) return;
    // 0x100 + 48000 ticks after the report, past the 32-bit wrap: one second and a bit later.
    expect(wallClockOf((0xffff_ff00 + 256 + 48_000) >>> 0, read, 48_000)).toBeCloseTo(
      1_796_000_001_255.33,
      1,
    );
    expect(wallClockOf(0xffff_ff00 - 48_000, read, 48_000)).toBeCloseTo(1_796_000_000_250 - 1000, 1);
  });

  it('finds where a VP8 key frame begins, and only there', () => {
    const packet = (start: boolean, keyFrame: boolean) =>
      rtpPacket(
        { payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1 },
        vp8Payload({ pictureId: 300, start, keyFrame }, Buffer.alloc(10)),
      );
    expect(startsKeyFrame(packet(true, true), 'vp8')).toBe(true);
    expect(startsKeyFrame(packet(true, false), 'vp8')).toBe(false);
    expect(startsKeyFrame(packet(false, true), 'vp8')).toBe(false);
  });
});
