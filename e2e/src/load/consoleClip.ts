// A camera and a microphone as a studio sends them, encoded once by Chromium's own encoders
// (WebCodecs: VP8 with three temporal layers in three simulcast sizes, Opus), so that the
// console under measurement decodes real pictures and real speech, whatever sends them.
import type { Browser } from 'playwright-core';

export const CLIP_FPS = 30;
export const CLIP_FRAMES = 120;

export interface ClipFrame {
  key: boolean;
  /** Temporal layer (L1T3: 0, 2, 1, 2, …). */
  tid: number;
  data: string;
}

export interface ClipLayer {
  width: number;
  height: number;
  frames: ClipFrame[];
}

export interface Clip {
  /** Simulcast streams, low to high, as the consoles' cameras send them. */
  layers: ClipLayer[];
  /** 20-ms Opus packets, base64. */
  audio: string[];
}

// Page-side code as a string: it runs in Chromium, where WebCodecs are (the type check has none).
const encodeInPage = `(async () => {
  const fps = ${CLIP_FPS}, frames = ${CLIP_FRAMES};
  // The consoles' camera encodings: 180p at 150 kbit/s, 360p at 500, 720p at 1500.
  const layers = [[320, 180, 150000], [640, 360, 500000], [1280, 720, 1500000]];
  const base64 = (bytes) => {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
  const copy = (chunk) => {
    const bytes = new Uint8Array(chunk.byteLength);
    chunk.copyTo(bytes);
    return base64(bytes);
  };
  const studio = new OffscreenCanvas(1280, 720);
  const g = studio.getContext('2d');
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  // A speaker who moves a little before a shelf whose details flicker like a camera's noise.
  const draw = (i) => {
    const t = i / fps;
    const sky = g.createLinearGradient(0, 0, 1280, 720);
    sky.addColorStop(0, 'hsl(' + ((t * 20) % 360) + ',40%,35%)');
    sky.addColorStop(1, 'hsl(' + ((t * 20 + 120) % 360) + ',40%,20%)');
    g.fillStyle = sky;
    g.fillRect(0, 0, 1280, 720);
    for (let k = 0; k < 400; k++) {
      if (i > 0 && random() > 0.15) continue;
      g.fillStyle = 'hsl(' + Math.floor(random() * 360) + ',50%,' + Math.floor(30 + random() * 40) + '%)';
      g.fillRect((k % 40) * 32, Math.floor(k / 40) * 18, 30, 16);
    }
    const x = 640 + 30 * Math.sin(t * 1.3);
    g.fillStyle = '#223';
    g.fillRect(x - 200, 450, 400, 270);
    g.fillStyle = '#c9a27e';
    g.beginPath();
    g.ellipse(x, 300 + 10 * Math.sin(t * 2.1), 110, 140, 0, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = '#fff';
    g.font = '32px sans-serif';
    g.fillText(String(i), 40, 680);
  };
  const result = { layers: [], audio: [] };
  for (const [width, height, bitrate] of layers) {
    const out = [];
    let failure = null;
    const encoder = new VideoEncoder({
      output: (chunk, meta) => out.push({ key: chunk.type === 'key', tid: meta?.svc?.temporalLayerId ?? 0, data: copy(chunk) }),
      error: (e) => { failure = e; },
    });
    encoder.configure({ codec: 'vp8', width, height, bitrate, framerate: fps, scalabilityMode: 'L1T3', latencyMode: 'quality' });
    const canvas = new OffscreenCanvas(width, height);
    const small = canvas.getContext('2d');
    seed = 1;
    for (let i = 0; i < frames; i++) {
      draw(i);
      small.drawImage(studio, 0, 0, width, height);
      const frame = new VideoFrame(canvas, { timestamp: (i * 1e6) / fps, duration: 1e6 / fps });
      // A key frame every 2 s: a receiver that starts or switches layers waits at most that long.
      encoder.encode(frame, { keyFrame: i % (2 * fps) === 0 });
      frame.close();
    }
    await encoder.flush();
    encoder.close();
    if (failure) throw failure;
    result.layers.push({ width, height, frames: out });
  }
  const rate = 48000;
  const samples = new Float32Array(rate);
  for (let i = 0; i < rate; i++) {
    const t = i / rate;
    samples[i] = 0.3 * Math.sin(2 * Math.PI * 220 * t) * (0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t));
  }
  const audio = new AudioEncoder({ output: (chunk) => result.audio.push(copy(chunk)), error: (e) => { throw e; } });
  audio.configure({ codec: 'opus', sampleRate: rate, numberOfChannels: 1, bitrate: 32000 });
  audio.encode(new AudioData({ format: 'f32', sampleRate: rate, numberOfFrames: rate, numberOfChannels: 1, timestamp: 0, data: samples }));
  await audio.flush();
  audio.close();
  return JSON.stringify(result);
})()`;

/** Encodes the clip in a page of `browser` at `origin` (WebCodecs need a secure context). */
export async function encodeClip(browser: Browser, origin: string): Promise<Clip> {
  const page = await browser.newPage({ bypassCSP: true });
  try {
    await page.goto(`${origin}/healthz`);
    const clip = JSON.parse(await page.evaluate<string>(encodeInPage)) as Clip;
    for (const layer of clip.layers) {
      if (layer.frames.length !== CLIP_FRAMES)
        throw new Error(
          `the ${layer.height}p encoder gave ${layer.frames.length} frames, not ${CLIP_FRAMES}`,
        );
    }
    // Whole 20-ms packets for one second of speech.
    clip.audio = clip.audio.slice(0, 50);
    return clip;
  } finally {
    await page.close();
  }
}
