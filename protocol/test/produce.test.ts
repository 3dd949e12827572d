// A producer's kind, source and codecs must agree before anything else reads them: the floor
// policy holds back audio, so audio declared as video must never get through.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientRequests, kindCarried, kindOfSource } from '../src/index.js';

const produce = clientRequests['media:produce'].payload;
const opus = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };
const vp8 = { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 };
const rtx = { mimeType: 'video/rtx', payloadType: 102, clockRate: 90000, parameters: { apt: 101 } };
const payload = (kind: string, source: string, codecs: object[]) => ({
  transportId: 't1',
  kind,
  source,
  rtpParameters: { codecs },
});

describe('media:produce', () => {
  it('refuses audio declared as a camera video (the floor bypass)', () => {
    const result = produce.safeParse(payload('video', 'camera', [opus]));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('the codecs carry audio, not video');
  });

  it('takes a microphone of opus and a camera of VP8 with its RTX', () => {
    expect(produce.safeParse(payload('audio', 'mic', [opus])).success).toBe(true);
    expect(produce.safeParse(payload('video', 'camera', [vp8, rtx])).success).toBe(true);
  });

  it('accepts a payload only when kind, source and every codec agree', () => {
    const codec = fc.record({
      mimeType: fc.constantFrom(
        'audio/opus',
        'AUDIO/OPUS',
        'video/VP8',
        'video/rtx',
        'application/x',
        'opus',
      ),
      payloadType: fc.integer({ min: 96, max: 127 }),
      clockRate: fc.constantFrom(48000, 90000),
    });
    fc.assert(
      fc.property(
        fc.constantFrom('audio', 'video'),
        fc.constantFrom('mic', 'camera'),
        fc.array(codec, { minLength: 1, maxLength: 4 }),
        (kind, source, codecs) => {
          const accepted = produce.safeParse(payload(kind, source, codecs)).success;
          const types = new Set(codecs.map((c) => c.mimeType.split('/')[0]?.toLowerCase()));
          const agree = types.size === 1 && types.has(kind) && kindOfSource[source] === kind;
          expect(accepted).toBe(agree);
        },
      ),
    );
  });

  it('reads the kind a producer carries from its codecs', () => {
    expect(kindCarried({ codecs: [opus] })).toBe('audio');
    expect(kindCarried({ codecs: [vp8, rtx] })).toBe('video');
    expect(kindCarried({ codecs: [vp8, opus] })).toBeNull();
    expect(kindCarried({ codecs: [{ mimeType: 'text/plain' }] })).toBeNull();
  });
});
