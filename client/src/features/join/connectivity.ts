import type { TransportOptions } from '@summit-bridge/protocol';
import type { Signaling } from '../../signaling/Signaling.js';
import { relayServers } from '../media/iceServers.js';
import { pageRelaySwitch, type RelayChoice } from './joinLink.js';

export type IceProtocol = 'udp' | 'tcp';
/** How media can reach the media node: straight over UDP or TCP, or through the TURN relay. */
export type IcePath = IceProtocol | 'relay';

export interface ProbeResult {
  ok: boolean;
  rttMs: number | null;
}

export type Verdict = { reachable: true; protocol: IcePath; rttMs: number | null } | { reachable: false };

/** A probe through the relay: these TURN servers only, to the media node's UDP candidates. */
export interface RelayProbe {
  relay: RelayChoice;
}

export type Probe = (
  transport: TransportOptions,
  protocol: IceProtocol,
  via?: RelayProbe,
) => Promise<ProbeResult>;

/**
 * The SDP answer of a media-node transport for a browser's data-channel offer: the transport's
 * ICE-lite credentials and candidates of one protocol. Enough for ICE checks to reach the
 * media node; DTLS never completes, since the transport is never connected.
 */
export function answerSdp(offer: string, transport: TransportOptions, protocol: IceProtocol): string {
  const mid = /^a=mid:(\S+)/m.exec(offer)?.[1] ?? '0';
  const fingerprint =
    transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256') ??
    transport.dtlsParameters.fingerprints[0];
  const candidates = transport.iceCandidates
    .filter((c) => c.protocol === protocol)
    .map((c) => {
      const tcpType = c.protocol === 'tcp' ? ` tcptype ${c.tcpType ?? 'passive'}` : '';
      return `a=candidate:${c.foundation} 1 ${c.protocol} ${c.priority} ${c.address} ${c.port} typ ${c.type}${tcpType}`;
    });
  return [
    'v=0',
    `o=- ${Date.now()} 1 IN IP4 0.0.0.0`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${mid}`,
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    `a=mid:${mid}`,
    `a=ice-ufrag:${transport.iceParameters.usernameFragment}`,
    `a=ice-pwd:${transport.iceParameters.password}`,
    ...(fingerprint ? [`a=fingerprint:${fingerprint.algorithm} ${fingerprint.value.toUpperCase()}`] : []),
    'a=setup:passive',
    ...candidates,
    'a=end-of-candidates',
    'a=sctp-port:5000',
    'a=max-message-size:262144',
    '',
  ].join('\r\n');
}

/**
 * ICE checks from this browser to one transport of the media node, over one protocol; `via` a
 * relay, only through the transport's TURN servers (allocating a relay takes longer: more time).
 */
export async function probeIce(
  transport: TransportOptions,
  protocol: IceProtocol,
  via?: RelayProbe,
  timeoutMs = via ? 10_000 : 6000,
): Promise<ProbeResult> {
  if (!transport.iceCandidates.some((c) => c.protocol === protocol)) return { ok: false, rttMs: null };
  const iceServers = via ? relayServers(transport.iceServers ?? [], via.relay) : [];
  if (via && iceServers.length === 0) return { ok: false, rttMs: null };
  const pc = new RTCPeerConnection(via ? { iceServers, iceTransportPolicy: 'relay' } : {});
  try {
    pc.createDataChannel('probe');
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp(offer.sdp ?? '', transport, protocol) });
    const ok = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      const check = () => {
        const state = pc.iceConnectionState;
        if (state === 'connected' || state === 'completed' || state === 'failed') {
          clearTimeout(timer);
          resolve(state !== 'failed');
        }
      };
      pc.addEventListener('iceconnectionstatechange', check);
      check();
    });
    return { ok, rttMs: ok ? await roundTripMs(pc) : null };
  } finally {
    pc.close();
  }
}

// The first round-trip measurement may lag the connection by a moment: look a few times.
async function roundTripMs(pc: RTCPeerConnection, attempts = 5): Promise<number | null> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    for (const stat of (await pc.getStats()).values()) {
      const pair = stat as RTCIceCandidatePairStats;
      if (pair.type !== 'candidate-pair' || pair.state !== 'succeeded') continue;
      if (pair.currentRoundTripTime !== undefined) return Math.round(pair.currentRoundTripTime * 1000);
      if (pair.totalRoundTripTime !== undefined && pair.responsesReceived)
        return Math.round((pair.totalRoundTripTime / pair.responsesReceived) * 1000);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

/**
 * One probe on a transport of its own, given back afterwards whatever the outcome; the answer
 * is not awaited, so a slow server never delays the verdict (the connection's end closes it too).
 */
async function probeOwnTransport(
  signaling: Signaling,
  path: IcePath,
  probe: Probe,
  relay: RelayChoice,
): Promise<ProbeResult> {
  const transport = await signaling.request('media:createTransport', {
    direction: 'recv',
    forceTcp: path === 'tcp',
  });
  try {
    return await (path === 'relay' ? probe(transport, 'udp', { relay }) : probe(transport, path));
  } finally {
    signaling.request('media:closeTransport', { transportId: transport.id }).catch(() => undefined);
  }
}

/**
 * UDP first (the good path); TCP when UDP is blocked, as in many government networks; then the
 * TURN relay (over TLS on port 443 where only a web proxy lets anything out), when the server
 * offers one. With the diagnostic relay switch on, the relay alone: the path the media will take.
 */
export async function testConnectivity(
  signaling: Signaling,
  probe: Probe = probeIce,
  forcedRelay: RelayChoice | null = pageRelaySwitch(),
): Promise<Verdict> {
  const paths: IcePath[] = forcedRelay ? ['relay'] : ['udp', 'tcp', 'relay'];
  for (const path of paths) {
    const result = await probeOwnTransport(signaling, path, probe, forcedRelay ?? 'any');
    if (result.ok) return { reachable: true, protocol: path, rttMs: result.rttMs };
  }
  return { reachable: false };
}
