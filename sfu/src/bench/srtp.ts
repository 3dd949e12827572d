// SRTP with AES_CM_128_HMAC_SHA1_80 (RFC 3711), the suite mediasoup's PlainTransport uses by
// default: lets the benchmark and tests send and check encrypted media as WebRTC carries it.
import { createCipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80';
const TAG_LENGTH = 10;

export interface SrtpKey {
  cryptoSuite: string;
  keyBase64: string;
}

export function randomSrtpKey(): SrtpKey {
  return { cryptoSuite: SRTP_SUITE, keyBase64: randomBytes(30).toString('base64') };
}

/** The session key derivation of RFC 3711 §4.3.1, with a key derivation rate of 0. */
function derive(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  iv[7] = (iv[7] ?? 0) ^ label;
  return createCipheriv('aes-128-ctr', masterKey, iv).update(Buffer.alloc(length));
}

/** One direction of an SRTP session: protects what a sender sends, or checks what a receiver gets. */
export class SrtpContext {
  private readonly cipherKey: Buffer;
  private readonly authKey: Buffer;
  private readonly salt: Buffer;
  private readonly rtcpCipherKey: Buffer;
  private readonly rtcpAuthKey: Buffer;
  private readonly rtcpSalt: Buffer;
  private readonly streams = new Map<number, { roc: number; lastSeq: number }>();
  private rtcpIndex = 0;

  constructor(key: SrtpKey) {
    if (key.cryptoSuite !== SRTP_SUITE) throw new Error(`unsupported SRTP suite ${key.cryptoSuite}`);
    const master = Buffer.from(key.keyBase64, 'base64');
    if (master.length !== 30) throw new Error('an AES_CM_128 SRTP key is 30 bytes');
    const masterKey = master.subarray(0, 16);
    const masterSalt = master.subarray(16);
    this.cipherKey = derive(masterKey, masterSalt, 0, 16);
    this.authKey = derive(masterKey, masterSalt, 1, 20);
    this.salt = derive(masterKey, masterSalt, 2, 14);
    this.rtcpCipherKey = derive(masterKey, masterSalt, 3, 16);
    this.rtcpAuthKey = derive(masterKey, masterSalt, 4, 20);
    this.rtcpSalt = derive(masterKey, masterSalt, 5, 14);
  }

  /** SRTCP (RFC 3711 §3.4): all but the first 8 bytes encrypted, then E flag + index, then the tag. */
  protectRtcp(packet: Buffer): Buffer {
    const index = this.rtcpIndex;
    this.rtcpIndex = (this.rtcpIndex + 1) & 0x7fffffff;
    const iv = Buffer.alloc(16);
    this.rtcpSalt.copy(iv, 0);
    iv.writeUInt32BE((iv.readUInt32BE(4) ^ packet.readUInt32BE(4)) >>> 0, 4);
    iv.writeUInt32BE((iv.readUInt32BE(10) ^ index) >>> 0, 10);
    const encrypted = createCipheriv('aes-128-ctr', this.rtcpCipherKey, iv).update(packet.subarray(8));
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32BE((0x80000000 | index) >>> 0);
    const body = Buffer.concat([packet.subarray(0, 8), encrypted, trailer]);
    const tag = createHmac('sha1', this.rtcpAuthKey).update(body).digest().subarray(0, TAG_LENGTH);
    return Buffer.concat([body, tag]);
  }

  protect(packet: Buffer, headerLength = 12): Buffer {
    const roc = this.rolloverCounter(packet);
    const body = this.crypt(packet, headerLength, roc);
    return Buffer.concat([body, this.tag(body, roc)]);
  }

  /** The clear packet, or null when its authentication tag is wrong. */
  unprotect(packet: Buffer, headerLength: number): Buffer | null {
    if (packet.length < headerLength + TAG_LENGTH) return null;
    const body = packet.subarray(0, packet.length - TAG_LENGTH);
    const roc = this.rolloverCounter(body);
    const tag = packet.subarray(packet.length - TAG_LENGTH);
    if (!timingSafeEqual(tag, this.tag(body, roc))) return null;
    return this.crypt(body, headerLength, roc);
  }

  // A sender or an in-order receiver only: enough for packets we make and count ourselves.
  private rolloverCounter(packet: Buffer): number {
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const stream = this.streams.get(ssrc) ?? { roc: 0, lastSeq: seq };
    if (seq < stream.lastSeq && stream.lastSeq - seq > 0x8000) stream.roc = (stream.roc + 1) >>> 0;
    stream.lastSeq = seq;
    this.streams.set(ssrc, stream);
    return stream.roc;
  }

  private crypt(packet: Buffer, headerLength: number, roc: number): Buffer {
    const iv = Buffer.alloc(16);
    this.salt.copy(iv, 0);
    iv.writeUInt32BE((iv.readUInt32BE(4) ^ packet.readUInt32BE(8)) >>> 0, 4);
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ roc) >>> 0, 8);
    iv.writeUInt16BE(iv.readUInt16BE(12) ^ packet.readUInt16BE(2), 12);
    const payload = createCipheriv('aes-128-ctr', this.cipherKey, iv).update(packet.subarray(headerLength));
    return Buffer.concat([packet.subarray(0, headerLength), payload]);
  }

  private tag(body: Buffer, roc: number): Buffer {
    const rocBytes = Buffer.alloc(4);
    rocBytes.writeUInt32BE(roc);
    return createHmac('sha1', this.authKey).update(body).update(rocBytes).digest().subarray(0, TAG_LENGTH);
  }
}
