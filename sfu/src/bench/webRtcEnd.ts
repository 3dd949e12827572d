// A WebRTC receiving end light enough for hundreds in one process, for the benchmark: ICE as a
// controlling agent that nominates the one pair (a STUN binding request from the end's own UDP
// socket), then DTLS-SRTP done by OpenSSL's `s_client`, relayed through that same socket so the
// SFU sees one 5-tuple, as it would from a browser. What DTLS exports is the SRTP key the SFU
// sends with; afterwards the socket only receives media (and sends ICE consent checks).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { SrtpKey } from './srtp.js';

/** The SRTP profile offered in DTLS, and the suite it is in SDP terms (mediasoup's names). */
export const DTLS_SRTP_PROFILE = 'SRTP_AES128_CM_SHA1_80';
const SUITE_OF_PROFILE = 'AES_CM_128_HMAC_SHA1_80';
const PROFILE_KEY = 16;
const PROFILE_SALT = 14;
const HANDSHAKE_TIMEOUT_MS = 15_000;

export interface IceCredentials {
  usernameFragment: string;
  password: string;
}

export interface Address {
  ip: string;
  port: number;
}

/** A self-signed certificate the ends present in DTLS, and its fingerprint for the SFU. */
export interface DtlsCertificate {
  certFile: string;
  keyFile: string;
  /** SHA-256, colon-separated upper-case hex: what dtlsParameters.fingerprints carries. */
  fingerprint: string;
}

/** One certificate for every end of a run (in a temporary directory; `remove` deletes it). */
export function makeDtlsCertificate(): DtlsCertificate & { remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dtls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  // biome-ignore format: one openssl argument per pair reads best
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-days', '2', '-subj', '/CN=summit-bridge-bench', '-keyout', keyFile, '-out', certFile], { stdio: 'pipe' });
  const printed = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'], {
    encoding: 'utf8',
  });
  const fingerprint = printed.slice(printed.indexOf('=') + 1).trim();
  return { certFile, keyFile, fingerprint, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const STUN_MAGIC = 0x2112a442;
const STUN_BINDING_REQUEST = 0x0001;
const ATTR = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  priority: 0x0024,
  useCandidate: 0x0025,
  fingerprint: 0x8028,
  iceControlling: 0x802a,
} as const;

function attribute(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

/**
 * A STUN binding request of a controlling ICE agent that nominates the pair (RFC 8445 §7.1.2):
 * USERNAME "remote:local", PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, then MESSAGE-INTEGRITY with
 * the remote password and FINGERPRINT, each computed over the message with its length so far.
 */
export function stunBindingRequest(remote: IceCredentials, localUfrag: string): Buffer {
  const priority = Buffer.alloc(4);
  priority.writeUInt32BE(0x6e0001ff);
  let body = Buffer.concat([
    attribute(ATTR.username, Buffer.from(`${remote.usernameFragment}:${localUfrag}`)),
    attribute(ATTR.priority, priority),
    attribute(ATTR.iceControlling, randomBytes(8)),
    attribute(ATTR.useCandidate, Buffer.alloc(0)),
  ]);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(STUN_BINDING_REQUEST, 0);
  header.writeUInt32BE(STUN_MAGIC, 4);
  randomBytes(12).copy(header, 8);
  const withLength = (extra: number) => {
    header.writeUInt16BE(body.length + extra, 2);
    return Buffer.concat([header, body]);
  };
  const integrity = createHmac('sha1', remote.password).update(withLength(24)).digest();
  body = Buffer.concat([body, attribute(ATTR.messageIntegrity, integrity)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((crc32(withLength(8)) ^ 0x5354554e) >>> 0);
  body = Buffer.concat([body, attribute(ATTR.fingerprint, crc)]);
  return withLength(0);
}

/** DTLS records start with a content type of 20 to 63 (RFC 7983's demultiplexing). */
export const isDtls = (packet: Buffer) =>
  packet.length > 0 && (packet[0] ?? 0) >= 20 && (packet[0] ?? 0) <= 63;
/** STUN messages start with 0 to 3. */
export const isStun = (packet: Buffer) => packet.length >= 20 && (packet[0] ?? 0) <= 3;

/**
 * The SRTP key the DTLS server sends with, from the keying material `s_client` printed (RFC 5764
 * §4.2: client key, server key, client salt, server salt); undefined if none was printed.
 */
export function serverSrtpKey(sClientOutput: string): SrtpKey | undefined {
  const hex = /Keying material: ([0-9A-Fa-f]+)/.exec(sClientOutput)?.[1];
  if (!hex || hex.length !== 4 * (PROFILE_KEY + PROFILE_SALT)) return undefined;
  const material = Buffer.from(hex, 'hex');
  const key = material.subarray(PROFILE_KEY, 2 * PROFILE_KEY);
  const salt = material.subarray(2 * PROFILE_KEY + PROFILE_SALT);
  return { cryptoSuite: SUITE_OF_PROFILE, keyBase64: Buffer.concat([key, salt]).toString('base64') };
}

/**
 * ICE and DTLS through `socket` to an SFU's WebRTC transport that has been told our certificate's
 * fingerprint and the DTLS client role; resolves with the key its SRTP comes with, and a
 * function that sends the next ICE consent check. The caller's own listeners on the socket see
 * DTLS and STUN go by, and should ignore them.
 */
export async function connectWebRtc(
  socket: Socket,
  server: Address & IceCredentials,
  certificate: DtlsCertificate,
): Promise<{ key: SrtpKey; keepAlive: () => void }> {
  const localUfrag = randomBytes(6).toString('hex');
  const stun = () => stunBindingRequest(server, localUfrag);
  socket.send(stun(), server.port, server.ip);
  const relay = createSocket('udp4');
  await new Promise<void>((resolve) => relay.bind(0, '127.0.0.1', resolve));
  let client: RemoteInfo | undefined;
  // s_client speaks to the relay; what it says leaves through the end's socket, and back.
  relay.on('message', (datagram, from) => {
    client = from;
    socket.send(datagram, server.port, server.ip);
  });
  const fromServer = (packet: Buffer) => {
    if (isDtls(packet) && client) relay.send(packet, client.port, client.address);
  };
  socket.on('message', fromServer);
  // biome-ignore format: one s_client argument per pair reads best
  const args = ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${relay.address().port}`, '-noservername',
    '-cert', certificate.certFile, '-key', certificate.keyFile, '-use_srtp', DTLS_SRTP_PROFILE,
    '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', String(2 * (PROFILE_KEY + PROFILE_SALT))];
  const sClient: ChildProcess = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  try {
    const key = await new Promise<SrtpKey>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `DTLS with ${server.ip}:${server.port}: no keys in ${HANDSHAKE_TIMEOUT_MS} ms\n${output}`,
            ),
          ),
        HANDSHAKE_TIMEOUT_MS,
      );
      sClient.stdout?.on('data', (chunk: Buffer) => {
        output += chunk;
        const key = serverSrtpKey(output);
        if (!key) return;
        clearTimeout(timer);
        resolve(key);
      });
      sClient.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`openssl s_client exited (${code}) before DTLS finished\n${output}`));
      });
    });
    return { key, keepAlive: () => socket.send(stun(), server.port, server.ip) };
  } finally {
    socket.off('message', fromServer);
    // Killed, not closed: a close_notify would end the DTLS association the media runs under.
    sClient.removeAllListeners('exit');
    sClient.kill('SIGKILL');
    relay.close();
  }
}
