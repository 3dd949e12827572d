// The media node checks what a producer carries itself, whatever its caller checked: every codec
// of the producer's kind and offered by the session's router. Nothing is created when refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { producerCodecsProblem, sessionMediaCodecs } from '../src/codecs.js';
import { createLocalMediaNode, type LocalMediaNode, MediaNodeError } from '../src/index.js';
import { opusParameters, peer } from './support.js';

const session = 'codecs';
const sender = peer(session, 'sender');
let node: LocalMediaNode;
let transportId: string;

beforeAll(async () => {
  node = await createLocalMediaNode({ workers: 1 });
  await node.openSession(session);
  transportId = (await node.createPlainTransport(sender, { direction: 'send' })).id;
});

afterAll(() => node?.close());

async function refused(call: Promise<unknown>): Promise<string> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaNodeError);
  expect((err as MediaNodeError).code).toBe('invalid_payload');
  return (err as MediaNodeError).message;
}

describe('what a producer carries', () => {
  it('refuses opus declared as video, and creates nothing', async () => {
    const message = await refused(
      node.produce(sender, transportId, { kind: 'video', rtpParameters: opusParameters(0xbad) }),
    );
    expect(message).toBe('codec audio/opus is not video');
    expect((await node.objectCounts()).producers).toBe(0);
  });

  it('refuses a codec the router does not offer', async () => {
    const rtpParameters = {
      codecs: [{ mimeType: 'audio/PCMU', payloadType: 0, clockRate: 8000 }],
      encodings: [{ ssrc: 0xbad2 }],
    };
    expect(await refused(node.produce(sender, transportId, { kind: 'audio', rtpParameters }))).toMatch(
      /audio\/PCMU\/8000 is not offered/,
    );
    expect((await node.objectCounts()).producers).toBe(0);
  });

  it('takes opus as audio', async () => {
    const { producerId } = await node.produce(sender, transportId, {
      kind: 'audio',
      rtpParameters: opusParameters(0x600d),
    });
    expect(producerId).toBeTruthy();
    expect((await node.objectCounts()).producers).toBe(1);
  });

  it('lets repair codecs (RTX) ride with the media codec they repair', () => {
    const vp8 = { mimeType: 'video/VP8', clockRate: 90000 };
    const rtx = { mimeType: 'video/rtx', clockRate: 90000 };
    expect(producerCodecsProblem('video', [vp8, rtx], sessionMediaCodecs)).toBeNull();
    expect(producerCodecsProblem('audio', [vp8], sessionMediaCodecs)).toBe('codec video/VP8 is not audio');
    expect(
      producerCodecsProblem('video', [{ mimeType: 'video/AV1', clockRate: 90000 }], sessionMediaCodecs),
    ).toMatch(/not offered/);
  });
});
