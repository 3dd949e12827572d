// A reload in the middle of a session: Malaysia's invitation opens five sessions; after choosing
// SOM and passing the pre-join check, a reload must go straight back into SOM with the same
// devices and its microphone still off — no session choice, no pre-join check.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { DemoMeeting, type Participant } from '../src/consoles.js';

const som = "ASEAN Senior Officials' Meeting (SOM)";
const MYS = 'Malaysia';

let demo: DemoMeeting;

/** The one video `who` consumes (Malaysia's camera, the only one in this test), once it is not `old`. */
async function videoFrom(who: Participant, old: string | null = null): Promise<string> {
  let id = '';
  await expect
    .poll(async () => {
      const videos = (await who.inbound()).filter((s) => s.kind === 'video' && s.producerId !== old);
      id = videos.length === 1 ? (videos[0]?.producerId ?? '') : '';
      return id;
    })
    .not.toBe('');
  return id;
}

beforeAll(async () => {
  demo = await DemoMeeting.start();
});

afterAll(() => demo?.close());

afterEach(() => {
  for (const participant of demo.opened) expect(participant.uncaught, participant.label).toEqual([]);
});

it('returns to the session after a reload, its devices and its microphone as they were', async () => {
  const chair = await demo.join('Chair (Viet Nam)', som);

  const malaysia = await demo.open(MYS);
  await malaysia.page.getByRole('heading', { name: 'Choose a session' }).waitFor();
  await malaysia.button(`Join ${som}`).click();
  await malaysia.page.getByText('Good: audio and video flow over UDP.').waitFor({ timeout: 20_000 });
  await malaysia.button('Enter the session').click();
  await malaysia.floor().waitFor({ timeout: 20_000 });
  await malaysia.button('Turn off microphone').click();
  const micStatus = malaysia.page.getByRole('status').filter({ hasText: /^Microphone/ });
  await expect.poll(() => micStatus.textContent()).toBe('Microphone off (muted by you)');
  const cameraBefore = await videoFrom(chair);

  const shown: string[] = [];
  malaysia.page.on('framenavigated', () => shown.splice(0));
  await malaysia.page.reload();
  // Every heading the page shows on its way back, until the console is there.
  const headings = malaysia.page.getByRole('heading', { level: 1 });
  await expect
    .poll(
      async () => {
        shown.push(...(await headings.allTextContents()));
        return malaysia.floor().count();
      },
      { interval: 50 },
    )
    .toBe(1);
  expect(shown).not.toContain('Choose a session');
  expect(shown).not.toContain('Before you enter');
  expect(await malaysia.page.getByRole('heading', { level: 1 }).textContent()).toBe(som);
  await expect.poll(() => micStatus.textContent()).toBe('Microphone off (muted by you)');
  // Its camera is on the air again, a new producer the chair receives once its tile is in view.
  const cameraAfter = await videoFrom(chair, cameraBefore);
  await chair.galleryTiles().filter({ hasText: MYS }).scrollIntoViewIfNeeded();
  await expect.poll(() => chair.receiving(cameraAfter)).toBe(true);
});
