// A participant of a clustered deployment, as a browser behaves there: signaling to whichever
// instance it reaches, a Node WebRTC peer for its media, and a rebuild of that media when told
// (media:reconnect) or when it had to reach another instance.
import type {
  ConsumerOptions,
  MediaSource,
  Result,
  RtpCapabilities,
  TransportOptions,
} from '@summit-bridge/protocol';
import type { z } from 'zod';
import { NodePeer } from './node-peer/NodePeer.js';
import { connectParticipant, type SignalingClient } from './signalingClient.js';

function ok<T extends object>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`);
  return result;
}

export class ClusterParticipant {
  client!: SignalingClient;
  /** The producer ids this participant listens to, and the consumer of each. */
  readonly listening = new Map<string, string>();
  mic: string | null = null;
  /** Where its transports' media goes: the address of each one's node, from its ICE candidates. */
  recvAddress: string | null = null;
  sendAddress: string | null = null;
  private capabilities: z.infer<typeof RtpCapabilities> | null = null;
  private send: TransportOptions | null = null;
  private recv: TransportOptions | null = null;
  private publishing = false;

  private constructor(
    readonly name: string,
    private readonly token: string,
    private readonly sessionId: string,
    private readonly peer: NodePeer,
  ) {}

  /** `sound`: what its audio is: its microphone unless said (a presentation's sound, an interpreter's voice). */
  static async join(
    name: string,
    url: string,
    token: string,
    sessionId: string,
    sound: Extract<MediaSource, 'mic' | 'screenAudio' | 'interpretation'> = 'mic',
  ): Promise<ClusterParticipant> {
    let self: ClusterParticipant | undefined;
    const peer = await NodePeer.start({
      transportConnect: async ({ transportId, dtlsParameters }) => {
        ok(
          await (self as ClusterParticipant).client.request('media:connectTransport', {
            transportId,
            dtlsParameters: dtlsParameters as never,
          }),
          'connect',
        );
      },
      produce: async ({ transportId, kind, rtpParameters }) => {
        const reply = ok(
          await (self as ClusterParticipant).client.request('media:produce', {
            transportId,
            kind,
            rtpParameters: rtpParameters as never,
            source: kind === 'audio' ? sound : 'camera',
          }),
          'produce',
        );
        return { id: reply.producerId };
      },
    });
    self = new ClusterParticipant(name, token, sessionId, peer);
    await self.connect(url);
    return self;
  }

  /** Signaling to this instance (a first join, or the move after an instance died). */
  async connect(url: string): Promise<void> {
    this.client = await connectParticipant(url, this.token, this.sessionId);
  }

  async publish(): Promise<string> {
    this.publishing = true;
    this.send ??= ok(
      await this.client.request('media:createTransport', { direction: 'send' }),
      'send transport',
    );
    this.sendAddress = this.send.iceCandidates[0]?.address ?? null;
    await this.load();
    await this.peer.call('createSendTransport', this.send);
    const { id } = await this.peer.call<{ id: string }>('produceAudio', { transportId: this.send.id });
    this.mic = id;
    return id;
  }

  async listen(producerId: string): Promise<void> {
    const capabilities = await this.load();
    if (!this.recv) {
      this.recv = ok(
        await this.client.request('media:createTransport', { direction: 'recv' }),
        'recv transport',
      );
      this.recvAddress = this.recv.iceCandidates[0]?.address ?? null;
      await this.peer.call('createRecvTransport', this.recv);
    }
    const options: ConsumerOptions = ok(
      await this.client.request('media:consume', {
        transportId: this.recv.id,
        producerId,
        rtpCapabilities: capabilities,
      }),
      `consume ${producerId}`,
    );
    await this.peer.call('consume', { transportId: this.recv.id, ...options });
    ok(await this.client.request('media:resumeConsumer', { consumerId: options.id }), 'resume');
    this.listening.set(producerId, options.id);
  }

  /** RTP packets received from a producer so far (0 when not listening to it). */
  async packets(producerId: string): Promise<number> {
    const consumerId = this.listening.get(producerId);
    if (!consumerId) return 0;
    return (await this.peer.call<{ packets: number }>('packetsReceived', { consumerId })).packets;
  }

  /** Whether a producer's audio keeps arriving over the next moment (20 ms packets: 50 a second). */
  async hears(producerId: string, withinMs = 1_500): Promise<boolean> {
    const before = await this.packets(producerId);
    await new Promise((r) => setTimeout(r, withinMs));
    return (await this.packets(producerId)) > before + (withinMs / 20) * 0.5;
  }

  /**
   * What a client does after media:reconnect or a reconnection to another instance: the whole media
   * path again, its microphone again, and the producers it listened to that still exist (by their
   * delegation: a producer rebuilt elsewhere has a new id).
   */
  async rebuild(
    listenTo: (snapshotProducers: { producerId: string; delegation: string | null }[]) => string[],
  ) {
    await this.peer.call('reset');
    this.send = null;
    this.recv = null;
    this.sendAddress = null;
    this.recvAddress = null;
    this.listening.clear();
    this.mic = null;
    if (this.publishing) await this.publish();
    const snapshot = ok(await this.client.request('session:snapshot'), 'snapshot');
    for (const producerId of listenTo(snapshot.producers)) await this.listen(producerId);
  }

  async close(): Promise<void> {
    await this.peer.close();
    this.client?.close();
  }

  private async load(): Promise<z.infer<typeof RtpCapabilities>> {
    if (this.capabilities) return this.capabilities;
    const { routerRtpCapabilities } = ok(await this.client.request('media:capabilities'), 'capabilities');
    const { rtpCapabilities } = await this.peer.call<{ rtpCapabilities: z.infer<typeof RtpCapabilities> }>(
      'load',
      {
        routerRtpCapabilities,
      },
    );
    this.capabilities = rtpCapabilities;
    return rtpCapabilities;
  }
}
