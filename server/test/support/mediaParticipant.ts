// A participant with real media: the socket API for signaling and a Node WebRTC peer (wrtc in its
// own process) for ICE, DTLS and RTP, as a browser would do it.

import type {
  ConsumerOptions,
  MediaSource,
  Result,
  RtpCapabilities,
  TransportOptions,
} from '@summit-bridge/protocol';
import { NodePeer } from '@summit-bridge/testkit/node-peer';
import { connectParticipant, type SignalingClient } from '@summit-bridge/testkit/signaling-client';
import type { z } from 'zod';

function expectOk<T extends object>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`);
  return result;
}

export interface MediaParticipant {
  client: SignalingClient;
  peer: NodePeer;
  /**
   * Sends a microphone (a tone, opus); returns the producer id. `declared` overrides the kind and
   * source the request claims, as a custom client could.
   */
  publishAudio(declared?: Declared, options?: { forceTcp?: boolean } & Marks): Promise<string>;
  /**
   * Sends a video (a slide, VP8) as `source` (a camera unless said); returns the producer id. With
   * `markMs`, a camera that is white for the first markMs of every second, black otherwise.
   */
  publishVideo(source?: MediaSource, marks?: Marks): Promise<string>;
  /** Receives a producer; returns the consumer id. */
  consume(producerId: string): Promise<string>;
  /** RTP packets (20 ms of audio each) received so far for a consumer. */
  packets(consumerId: string): Promise<number>;
  close(): Promise<void>;
}

/** The tone's pitch, and marks: sound and white picture only in the first markMs of each second. */
export interface Marks {
  frequency?: number;
  markMs?: number;
}

export interface Declared {
  kind: 'audio' | 'video';
  source: MediaSource;
}

export async function joinWithMedia(
  url: string,
  token: string,
  sessionId: string,
): Promise<MediaParticipant> {
  const client = await connectParticipant(url, token, sessionId);
  let declared: Declared | undefined;
  const peer = await NodePeer.start({
    transportConnect: async ({ transportId, dtlsParameters }) => {
      expectOk(
        await client.request('media:connectTransport', {
          transportId,
          dtlsParameters: dtlsParameters as never,
        }),
        'connect',
      );
    },
    produce: async ({ transportId, kind, rtpParameters }) => {
      const claim = declared ?? { kind, source: kind === 'audio' ? 'mic' : 'camera' };
      const reply = expectOk(
        await client.request('media:produce', {
          transportId,
          kind: claim.kind,
          rtpParameters: rtpParameters as never,
          source: claim.source,
        }),
        'produce',
      );
      return { id: reply.producerId };
    },
  });
  const { routerRtpCapabilities } = expectOk(await client.request('media:capabilities'), 'capabilities');
  const { rtpCapabilities } = await peer.call<{ rtpCapabilities: z.infer<typeof RtpCapabilities> }>('load', {
    routerRtpCapabilities,
  });
  let recvTransport: TransportOptions | undefined;
  // A refused producer's transport is given back, as a client would: a connection holds few.
  const produceOn = async (
    transportId: string,
    method: 'produceAudio' | 'produceVideo',
    marks: Marks = {},
  ) => {
    try {
      return (await peer.call<{ id: string }>(method, { transportId, ...marks })).id;
    } catch (err) {
      await client.request('media:closeTransport', { transportId });
      throw err;
    }
  };

  return {
    client,
    peer,
    publishAudio: async (claim, options = {}) => {
      declared = claim;
      // A transport (peer connection) per microphone: wrtc's SDP handling takes one audio track each.
      const sendTransport = expectOk(
        await client.request('media:createTransport', { direction: 'send', forceTcp: options.forceTcp }),
        'send transport',
      );
      await peer.call('createSendTransport', sendTransport);
      const { forceTcp: _tcp, ...marks } = options;
      return produceOn(sendTransport.id, 'produceAudio', marks);
    },
    publishVideo: async (source = 'camera', marks = {}) => {
      declared = { kind: 'video', source };
      const sendTransport = expectOk(
        await client.request('media:createTransport', { direction: 'send' }),
        'send transport',
      );
      await peer.call('createSendTransport', sendTransport);
      return produceOn(sendTransport.id, 'produceVideo', marks);
    },
    consume: async (producerId) => {
      if (!recvTransport) {
        recvTransport = expectOk(
          await client.request('media:createTransport', { direction: 'recv' }),
          'recv transport',
        );
        await peer.call('createRecvTransport', recvTransport);
      }
      const options: ConsumerOptions = expectOk(
        await client.request('media:consume', { transportId: recvTransport.id, producerId, rtpCapabilities }),
        'consume',
      );
      await peer.call('consume', { transportId: recvTransport.id, ...options });
      expectOk(await client.request('media:resumeConsumer', { consumerId: options.id }), 'resume');
      return options.id;
    },
    packets: async (consumerId) =>
      (await peer.call<{ packets: number }>('packetsReceived', { consumerId })).packets,
    close: async () => {
      await peer.close();
      client.close();
    },
  };
}
