import type { TransportOptions } from '@summit-bridge/protocol';
import type { Signaling } from '../../signaling/Signaling.js';

export type IceProtocol = 'udp' | 'tcp';

export interface ProbeResult {
  ok: boolean;
  rttMs: number | null;
}

export type Verdict = { reachable: true; protocol: IceProtocol; rttMs: number | null } | { reachable: false };

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

/** ICE checks from this browser to one transport of the media node, over one protocol. */
export async function probeIce(
  transport: TransportOptions,
  protocol: IceProtocol,
  timeoutMs = 6000,
): Promise<ProbeResult> {
  if (!transport.iceCandidates.some((c) => c.protocol === protocol)) return { ok: false, rttMs: null };
  const pc = new RTCPeerConnection();
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
  protocol: IceProtocol,
  probe: (transport: TransportOptions, protocol: IceProtocol) => Promise<ProbeResult>,
): Promise<ProbeResult> {
  const transport = await signaling.request('media:createTransport', {
    direction: 'recv',
    forceTcp: protocol === 'tcp',
  });
  try {
    return await probe(transport, protocol);
  } finally {
    signaling.request('media:closeTransport', { transportId: transport.id }).catch(() => undefined);
  }
}

/** UDP first (the good path); TCP when UDP is blocked, as in many government networks. */
export async function testConnectivity(
  signaling: Signaling,
  probe: (transport: TransportOptions, protocol: IceProtocol) => Promise<ProbeResult> = probeIce,
): Promise<Verdict> {
  const overUdp = await probeOwnTransport(signaling, 'udp', probe);
  if (overUdp.ok) return { reachable: true, protocol: 'udp', rttMs: overUdp.rttMs };
  const overTcp = await probeOwnTransport(signaling, 'tcp', probe);
  if (overTcp.ok) return { reachable: true, protocol: 'tcp', rttMs: overTcp.rttMs };
  return { reachable: false };
}
