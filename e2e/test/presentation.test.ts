// Presentations end to end: the floor holder shares a screen (Chromium's fake display capture,
// which --use-fake-ui-for-media-stream with --use-fake-device-for-media-stream accepts without
// a picker), another delegation's page receives it large on the stage (bytes counted by its
// browser), the chair stops it; a delegation without the floor is offered no share at all, and
// the floor moving on ends a presentation. Real server, real Chromium.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DemoMeeting, type Participant } from '../src/consoles.js';

const som = "ASEAN Senior Officials' Meeting (SOM)";
const BRN = 'Brunei Darussalam';
const KHM = 'Cambodia';

let demo: DemoMeeting;
let chair: Participant;
let brunei: Participant;
let cambodia: Participant;

beforeAll(async () => {
  demo = await DemoMeeting.start();
});

afterAll(() => demo?.close());

afterEach(() => {
  for (const participant of demo.opened) expect(participant.uncaught, participant.label).toEqual([]);
});

const stage = (p: Participant) => p.page.getByRole('region', { name: 'Stage' });
const screenOf = (p: Participant, delegation: string) =>
  stage(p).getByRole('figure', { name: `Presentation by ${delegation}` });

/** The producer of the screen shown on a page's stage. */
async function shownProducer(p: Participant, delegation: string): Promise<string> {
  const figure = screenOf(p, delegation);
  await figure.waitFor({ timeout: 20_000 });
  const id = await figure.getAttribute('data-producer-id');
  if (!id) throw new Error('the presentation names no producer');
  return id;
}

async function consumes(p: Participant, producerId: string): Promise<boolean> {
  return (await p.inbound()).some((s) => s.producerId === producerId);
}

describe('presentations', () => {
  it('lets the floor holder, and only it, share a screen', async () => {
    [chair, brunei, cambodia] = await Promise.all([
      demo.join('Chair (Viet Nam)', som),
      demo.join(BRN, som),
      demo.join(KHM, som),
    ]);
    await chair.button('Open the session').click();
    await expect.poll(() => brunei.page.getByRole('banner').textContent()).toMatch(/Session\s*Open/);
    // Nobody holds the floor: nobody is offered to share.
    for (const p of [brunei, cambodia]) expect(await p.button('Share your screen').count()).toBe(0);
    await chair.button(`Give the floor to ${BRN}`).click();
    await brunei.button('Share your screen').waitFor({ timeout: 20_000 });
    expect(await cambodia.button('Share your screen').count()).toBe(0);
  });

  it('shows the shared screen large on every stage, received through the SFU, the speaker beside it', async () => {
    await brunei.button('Share your screen').click();
    await brunei.button('Stop sharing').waitFor({ timeout: 20_000 });
    const producerId = await shownProducer(cambodia, BRN);
    // Bytes of the screen arrive at Cambodia's browser and keep arriving.
    await expect.poll(() => consumes(cambodia, producerId)).toBe(true);
    await expect.poll(() => cambodia.receiving(producerId)).toBe(true);
    const kind = (await cambodia.inbound()).find((s) => s.producerId === producerId)?.kind;
    expect(kind).toBe('video');
    // The picture plays on the stage at the capture's full resolution (the fake screen is 1280
    // wide: text wants every pixel), and the speaker's own tile sits beside it.
    await expect
      .poll(() =>
        screenOf(cambodia, BRN)
          .locator('video')
          .evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth),
      )
      .toBeGreaterThanOrEqual(1280);
    const beside = stage(cambodia).getByRole('figure').filter({ hasText: BRN });
    await expect.poll(() => beside.count()).toBeGreaterThan(0);
    await expect
      .poll(() => cambodia.galleryTiles().filter({ hasText: BRN }).textContent())
      .toContain('Presenting');
    // The presenter sees its own screen on its stage too, and the chair's page receives it.
    await screenOf(brunei, BRN).waitFor({ timeout: 20_000 });
    // The chair's page scrolled down to its controls: a stage out of view receives nothing, so
    // the chair looks up at it first.
    await screenOf(chair, BRN).scrollIntoViewIfNeeded();
    await expect.poll(() => chair.receiving(producerId)).toBe(true);
  });

  it('is stopped by the chair: gone from every stage, its bytes no longer received', async () => {
    const producerId = await shownProducer(cambodia, BRN);
    await chair.button(`Stop the presentation of ${BRN}`).click();
    await expect.poll(() => screenOf(cambodia, BRN).count()).toBe(0);
    await expect.poll(() => consumes(cambodia, producerId)).toBe(false);
    await expect.poll(() => brunei.page.getByText('The chair stopped your presentation.').count()).toBe(1);
    // Brunei still holds the floor: it may share again.
    await brunei.button('Share your screen').waitFor({ timeout: 20_000 });
  });

  it('ends when the floor moves on', async () => {
    await brunei.button('Share your screen').click();
    const producerId = await shownProducer(cambodia, BRN);
    await expect.poll(() => cambodia.receiving(producerId)).toBe(true);
    await chair.button(`Give the floor to ${KHM}`).click();
    await expect.poll(() => screenOf(cambodia, BRN).count()).toBe(0);
    await expect.poll(() => brunei.button('Stop sharing').count()).toBe(0);
    await expect
      .poll(() => brunei.page.getByText('Your presentation ended: the floor moved on.').count())
      .toBe(1);
    expect(await brunei.button('Share your screen').count()).toBe(0);
    await cambodia.button('Share your screen').waitFor({ timeout: 20_000 });
  });
});
