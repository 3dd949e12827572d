// How a signaling instance proves to a media node that it holds the cluster's secret, without
// sending it: an HMAC of who it is and when, good for a minute either way of the node's clock.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NodeControlHandshake } from '@summit-bridge/protocol';

export const PROOF_WINDOW_MS = 60_000;

export function controlProof(secret: string, instanceId: string, at: number): string {
  return createHmac('sha256', secret).update(`${instanceId}.${at}`).digest('hex');
}

export function handshakeFor(secret: string, instanceId: string, now = Date.now()): NodeControlHandshake {
  return { instanceId, at: now, proof: controlProof(secret, instanceId, now) };
}

export function proofHolds(secret: string, handshake: NodeControlHandshake, now = Date.now()): boolean {
  if (Math.abs(now - handshake.at) > PROOF_WINDOW_MS) return false;
  const expected = Buffer.from(controlProof(secret, handshake.instanceId, handshake.at), 'hex');
  const given = Buffer.from(handshake.proof, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
