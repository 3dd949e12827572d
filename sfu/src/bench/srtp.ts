// SRTP and SRTCP (RFC 3711, and RFC 7714 for AES-GCM) on Node's crypto: lets the benchmark and
// tests send and check encrypted media as WebRTC carries it, with an implementation that
// shares nothing with the worker's libsrtp. AES_CM_128_HMAC_SHA1_80 is mediasoup's default.
import {
  type CipherGCMTypes,
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

export const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80';

/** The suites mediasoup offers, with their master key and salt lengths and tag lengths. */
export const SRTP_SUITES = {
  AES_CM_128_HMAC_SHA1_80: { keyLength: 16, saltLength: 14, rtpTag: 10, aead: false },
  // The short tag is for SRTP only: SRTCP keeps 80 bits (RFC 4568 §6.2.1).
  AES_CM_128_HMAC_SHA1_32: { keyLength: 16, saltLength: 14, rtpTag: 4, aead: false },
  AEAD_AES_128_GCM: { keyLength: 16, saltLength: 12, rtpTag: 16, aead: true },
  AEAD_AES_256_GCM: { keyLength: 32, saltLength: 12, rtpTag: 16, aead: true },
} as const;
export type SrtpSuite = keyof typeof SRTP_SUITES;

const HMAC_RTCP_TAG = 10;
const GCM_TAG = 16;
const E_FLAG = 0x80000000;

export interface SrtpKey {
  cryptoSuite: string;
  keyBase64: string;
}

export function randomSrtpKey(suite: SrtpSuite = SRTP_SUITE): SrtpKey {
  const { keyLength, saltLength } = SRTP_SUITES[suite];
  return { cryptoSuite: suite, keyBase64: randomBytes(keyLength + saltLength).toString('base64') };
}

/** The session key derivation of RFC 3711 §4.3.1 (AES-CM PRF), with a key derivation rate of 0. */
function derive(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  iv[7] = (iv[7] ?? 0) ^ label;
  return createCipheriv(`aes-${masterKey.length * 8}-ctr`, masterKey, iv).update(Buffer.alloc(length));
}

interface SessionKeys {
  cipher: Buffer;
  auth: Buffer;
  salt: Buffer;
}

/** An IV: the session salt, with fields XORed in at their byte offsets. */
function saltedIv(salt: Buffer, size: number, fields: [offset: number, value: number, bytes: 2 | 4][]) {
  const iv = Buffer.alloc(size);
  salt.copy(iv, 0, 0, Math.min(size, salt.length));
  for (const [offset, value, bytes] of fields) {
    if (bytes === 2) iv.writeUInt16BE(iv.readUInt16BE(offset) ^ value, offset);
    else iv.writeUInt32BE((iv.readUInt32BE(offset) ^ value) >>> 0, offset);
  }
  return iv;
}

/** One direction of an SRTP session: protects what a sender sends, or checks what a receiver gets. */
export class SrtpContext {
  private readonly suite: (typeof SRTP_SUITES)[SrtpSuite];
  private readonly rtp: SessionKeys;
  private readonly rtcp: SessionKeys;
  private readonly streams = new Map<number, { roc: number; lastSeq: number }>();
  private rtcpIndex = 0;

  constructor(key: SrtpKey) {
    if (!(key.cryptoSuite in SRTP_SUITES)) throw new Error(`unsupported SRTP suite ${key.cryptoSuite}`);
    this.suite = SRTP_SUITES[key.cryptoSuite as SrtpSuite];
    const { keyLength, saltLength } = this.suite;
    const master = Buffer.from(key.keyBase64, 'base64');
    if (master.length !== keyLength + saltLength)
      throw new Error(`a ${key.cryptoSuite} key is ${keyLength + saltLength} bytes`);
    const masterKey = master.subarray(0, keyLength);
    const masterSalt = master.subarray(keyLength);
    const keys = (first: number): SessionKeys => ({
      cipher: derive(masterKey, masterSalt, first, keyLength),
      auth: derive(masterKey, masterSalt, first + 1, 20),
      salt: derive(masterKey, masterSalt, first + 2, saltLength),
    });
    this.rtp = keys(0);
    this.rtcp = keys(3);
  }

  protect(packet: Buffer, headerLength = 12): Buffer {
    const roc = this.rolloverCounter(packet);
    const header = packet.subarray(0, headerLength);
    const payload = packet.subarray(headerLength);
    if (this.suite.aead) {
      const cipher = createCipheriv(this.gcm(), this.rtp.cipher, this.rtpGcmIv(packet, roc));
      cipher.setAAD(header);
      const sealed = Buffer.concat([cipher.update(payload), cipher.final()]);
      return Buffer.concat([header, sealed, cipher.getAuthTag()]);
    }
    const body = Buffer.concat([header, this.ctr(this.rtp, this.rtpCtrIv(packet, roc), payload)]);
    return Buffer.concat([body, this.rtpTag(body, roc)]);
  }

  /** The clear packet, or null when its authentication fails. */
  unprotect(packet: Buffer, headerLength: number): Buffer | null {
    const tagLength = this.suite.rtpTag;
    if (packet.length < headerLength + tagLength) return null;
    const body = packet.subarray(0, packet.length - tagLength);
    const tag = packet.subarray(packet.length - tagLength);
    const roc = this.rolloverCounter(body);
    const header = body.subarray(0, headerLength);
    if (this.suite.aead) {
      const decipher = createDecipheriv(this.gcm(), this.rtp.cipher, this.rtpGcmIv(body, roc));
      decipher.setAAD(header);
      decipher.setAuthTag(tag);
      try {
        const clear = Buffer.concat([decipher.update(body.subarray(headerLength)), decipher.final()]);
        return Buffer.concat([header, clear]);
      } catch {
        return null;
      }
    }
    if (!timingSafeEqual(tag, this.rtpTag(body, roc))) return null;
    return Buffer.concat([header, this.ctr(this.rtp, this.rtpCtrIv(body, roc), body.subarray(headerLength))]);
  }

  /** SRTCP (RFC 3711 §3.4, RFC 7714 §9): all but the first 8 bytes encrypted, E flag + index. */
  protectRtcp(packet: Buffer): Buffer {
    const index = this.rtcpIndex;
    this.rtcpIndex = (this.rtcpIndex + 1) & 0x7fffffff;
    const header = packet.subarray(0, 8);
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32BE((E_FLAG | index) >>> 0);
    if (this.suite.aead) {
      const cipher = createCipheriv(this.gcm(), this.rtcp.cipher, this.rtcpGcmIv(packet, index));
      cipher.setAAD(Buffer.concat([header, trailer]));
      const sealed = Buffer.concat([cipher.update(packet.subarray(8)), cipher.final()]);
      return Buffer.concat([header, sealed, cipher.getAuthTag(), trailer]);
    }
    const encrypted = this.ctr(this.rtcp, this.rtcpCtrIv(packet, index), packet.subarray(8));
    const body = Buffer.concat([header, encrypted, trailer]);
    return Buffer.concat([body, this.rtcpTag(body)]);
  }

  /** The clear compound RTCP packet, or null when its authentication fails. */
  unprotectRtcp(packet: Buffer): Buffer | null {
    const tagLength = this.suite.aead ? GCM_TAG : HMAC_RTCP_TAG;
    if (packet.length < 8 + 4 + tagLength) return null;
    const header = packet.subarray(0, 8);
    if (this.suite.aead) {
      const trailer = packet.subarray(packet.length - 4);
      const index = trailer.readUInt32BE(0) & 0x7fffffff;
      const tag = packet.subarray(packet.length - 4 - GCM_TAG, packet.length - 4);
      const decipher = createDecipheriv(this.gcm(), this.rtcp.cipher, this.rtcpGcmIv(packet, index));
      decipher.setAAD(Buffer.concat([header, trailer]));
      decipher.setAuthTag(tag);
      try {
        const sealed = packet.subarray(8, packet.length - 4 - GCM_TAG);
        return Buffer.concat([header, decipher.update(sealed), decipher.final()]);
      } catch {
        return null;
      }
    }
    const body = packet.subarray(0, packet.length - HMAC_RTCP_TAG);
    if (!timingSafeEqual(packet.subarray(body.length), this.rtcpTag(body))) return null;
    const index = body.readUInt32BE(body.length - 4) & 0x7fffffff;
    const encrypted = body.subarray(8, body.length - 4);
    return Buffer.concat([header, this.ctr(this.rtcp, this.rtcpCtrIv(packet, index), encrypted)]);
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

  private gcm(): CipherGCMTypes {
    return this.suite.keyLength === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
  }

  private ctr(keys: SessionKeys, iv: Buffer, data: Buffer): Buffer {
    return createCipheriv(`aes-${this.suite.keyLength * 8}-ctr`, keys.cipher, iv).update(data);
  }

  // RFC 3711 §4.1.1: salt * 2^16 XOR SSRC * 2^64 XOR index * 2^16.
  private rtpCtrIv(packet: Buffer, roc: number): Buffer {
    return saltedIv(this.rtp.salt, 16, [
      [4, packet.readUInt32BE(8), 4],
      [8, roc, 4],
      [12, packet.readUInt16BE(2), 2],
    ]);
  }

  private rtcpCtrIv(packet: Buffer, index: number): Buffer {
    return saltedIv(this.rtcp.salt, 16, [
      [4, packet.readUInt32BE(4), 4],
      [10, index, 4],
    ]);
  }

  // RFC 7714 §8.1: 0x0000 || SSRC || ROC || SEQ, XOR the salt.
  private rtpGcmIv(packet: Buffer, roc: number): Buffer {
    return saltedIv(this.rtp.salt, 12, [
      [2, packet.readUInt32BE(8), 4],
      [6, roc, 4],
      [10, packet.readUInt16BE(2), 2],
    ]);
  }

  // RFC 7714 §9.1: 0x0000 || SSRC || 0x0000 || 31-bit index, XOR the salt.
  private rtcpGcmIv(packet: Buffer, index: number): Buffer {
    return saltedIv(this.rtcp.salt, 12, [
      [2, packet.readUInt32BE(4), 4],
      [8, index, 4],
    ]);
  }

  private rtpTag(body: Buffer, roc: number): Buffer {
    const rocBytes = Buffer.alloc(4);
    rocBytes.writeUInt32BE(roc);
    const mac = createHmac('sha1', this.rtp.auth).update(body).update(rocBytes).digest();
    return mac.subarray(0, this.suite.rtpTag);
  }

  private rtcpTag(body: Buffer): Buffer {
    return createHmac('sha1', this.rtcp.auth).update(body).digest().subarray(0, HMAC_RTCP_TAG);
  }
}
