// The little RTCP a recorder needs, pure: the sender reports that tie a stream's RTP clock to the
// node's wall clock, and the generic NACK (RFC 4585) that asks the node to send a packet again.

const NTP_EPOCH_OFFSET_S = 2_208_988_800;

export interface SenderReport {
  ssrc: number;
  /** The report's NTP time, in milliseconds since the Unix epoch. */
  wallClockMs: number;
  rtpTimestamp: number;
}

/** RTCP shares the port (rtcp-mux): its packet types 192..223 sit where RTP has marker + PT. */
export function isRtcp(packet: Buffer): boolean {
  const type = packet[1] ?? 0;
  return packet.length >= 8 && type >= 192 && type <= 223;
}

/** The sender reports in a compound RTCP packet (others are skipped; a malformed one ends it). */
export function senderReports(packet: Buffer): SenderReport[] {
  const reports: SenderReport[] = [];
  let offset = 0;
  while (offset + 4 <= packet.length) {
    const length = (packet.readUInt16BE(offset + 2) + 1) * 4;
    if (offset + length > packet.length || (packet[offset] ?? 0) >> 6 !== 2) break;
    if (packet[offset + 1] === 200 && length >= 28) {
      const seconds = packet.readUInt32BE(offset + 8) - NTP_EPOCH_OFFSET_S;
      const fraction = packet.readUInt32BE(offset + 12) / 2 ** 32;
      reports.push({
        ssrc: packet.readUInt32BE(offset + 4),
        wallClockMs: (seconds + fraction) * 1000,
        rtpTimestamp: packet.readUInt32BE(offset + 16),
      });
    }
    offset += length;
  }
  return reports;
}

/** A generic NACK for these sequence numbers (each FCI entry: a packet id and the 16 after it). */
export function genericNack(senderSsrc: number, mediaSsrc: number, sequenceNumbers: number[]): Buffer {
  const entries: { pid: number; blp: number }[] = [];
  for (const seq of [...new Set(sequenceNumbers.map((s) => s & 0xffff))].sort((a, b) => a - b)) {
    const last = entries.at(-1);
    const distance = last ? (seq - last.pid) & 0xffff : 0;
    if (last && distance >= 1 && distance <= 16) last.blp |= 1 << (distance - 1);
    else entries.push({ pid: seq, blp: 0 });
  }
  const packet = Buffer.alloc(12 + 4 * entries.length);
  packet[0] = 0x80 | 1;
  packet[1] = 205;
  packet.writeUInt16BE(2 + entries.length, 2);
  packet.writeUInt32BE(senderSsrc >>> 0, 4);
  packet.writeUInt32BE(mediaSsrc >>> 0, 8);
  entries.forEach((e, i) => {
    packet.writeUInt16BE(e.pid, 12 + 4 * i);
    packet.writeUInt16BE(e.blp, 14 + 4 * i);
  });
  return packet;
}

/** The sequence numbers a generic NACK asks for. */
export function nackedSequenceNumbers(packet: Buffer): number[] {
  const seqs: number[] = [];
  for (let offset = 12; offset + 4 <= packet.length; offset += 4) {
    const pid = packet.readUInt16BE(offset);
    const blp = packet.readUInt16BE(offset + 2);
    seqs.push(pid);
    for (let bit = 0; bit < 16; bit++) if (blp & (1 << bit)) seqs.push((pid + bit + 1) & 0xffff);
  }
  return seqs;
}

/**
 * Wall-clock time of an RTP timestamp, by the stream's latest sender report: the difference is
 * taken modulo 2^32 (signed), so a clock that wrapped since the report still maps right.
 */
export function wallClockOf(rtpTimestamp: number, report: SenderReport, clockRate: number): number {
  const diff = ((rtpTimestamp - report.rtpTimestamp) | 0) as number;
  return report.wallClockMs + (diff / clockRate) * 1000;
}

/** Where an RTP packet's payload starts, after CSRCs and the header extension. */
export function payloadOffset(packet: Buffer): number {
  const first = packet[0] ?? 0;
  let offset = 12 + 4 * (first & 0x0f);
  if (first & 0x10 && packet.length >= offset + 4) offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  return offset;
}

/**
 * Whether an RTP packet begins a key frame: VP8 (RFC 7741: start of partition 0, and the frame
 * header's inter-frame bit clear) or VP9 (RFC 9628: start of a frame that is not predicted).
 */
export function startsKeyFrame(packet: Buffer, codec: 'vp8' | 'vp9'): boolean {
  let i = payloadOffset(packet);
  const first = packet[i];
  if (first === undefined) return false;
  if (codec === 'vp9') return (first & 0x08) !== 0 && (first & 0x40) === 0;
  if ((first & 0x10) === 0 || (first & 0x07) !== 0) return false;
  i++;
  if (first & 0x80) {
    const ext = packet[i++] ?? 0;
    if (ext & 0x80) i += (packet[i] ?? 0) & 0x80 ? 2 : 1;
    if (ext & 0x40) i++;
    if (ext & 0x30) i++;
  }
  const header = packet[i];
  return header !== undefined && (header & 0x01) === 0;
}
