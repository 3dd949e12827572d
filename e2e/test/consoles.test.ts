// The consoles end to end: the built server with its demo summit, Chromium with fake camera and
// microphone, a chair and three delegations in the SOM session, each in a browser context of its
// own, driven through what the pages show (roles and accessible names).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from '../src/artifacts.js';
import { DemoMeeting, type Participant, waitForMic } from '../src/consoles.js';

const som = "ASEAN Senior Officials' Meeting (SOM)";
const BRN = 'Brunei Darussalam';
const KHM = 'Cambodia';
const IDN = 'Indonesia';
const names = [BRN, KHM, IDN, 'Viet Nam'];

let demo: DemoMeeting;
let chair: Participant;
let brunei: Participant;
let cambodia: Participant;
let indonesia: Participant;
let everyone: Participant[];

beforeAll(async () => {
  demo = await DemoMeeting.start();
});

afterAll(() => demo?.close());

afterEach(() => {
  for (const participant of demo.opened) expect(participant.uncaught, participant.label).toEqual([]);
});

const join = (label: string) => demo.join(label, som);

const floorText = (p: Participant) => p.floor().textContent();

/** Every page shows `holder` with the floor; its own page says so in the second person. */
async function expectHolder(holder: Participant, name: string): Promise<void> {
  for (const p of everyone) {
    await expect
      .poll(() => floorText(p))
      .toContain(p === holder ? 'You have the floor' : `${name} has the floor`);
  }
}

async function expectSpeakers(list: string[]): Promise<void> {
  for (const p of everyone) await expect.poll(() => p.speakers(names)).toEqual(list);
}

/** Every page receives the audio of each of the three others. */
async function expectEveryMicReceived(): Promise<void> {
  for (const p of everyone) {
    await expect.poll(async () => (await p.inbound()).filter((s) => s.kind === 'audio').length).toBe(3);
  }
}

const mic = (who: Participant) => waitForMic(who, everyone);

/** Each one's voice reaches every other page, or none of them: checked at once, page by page. */
async function expectHeard(heard: Participant[], silent: Participant[]): Promise<void> {
  const checks = [...heard.map((who) => [who, true] as const), ...silent.map((who) => [who, false] as const)];
  await Promise.all(
    checks.map(async ([who, audible]) => {
      const producerId = await mic(who);
      const others = everyone.filter((other) => other !== who);
      await Promise.all(others.map((p) => expect.poll(() => p.receiving(producerId)).toBe(audible)));
    }),
  );
}

describe('the delegate and chair consoles', () => {
  it('lets the chair and three delegations join SOM from their printed links, through the pre-join check', async () => {
    [chair, brunei, cambodia, indonesia] = await Promise.all([
      join('Chair (Viet Nam)'),
      join(BRN),
      join(KHM),
      join(IDN),
    ]);
    everyone = [chair, brunei, cambodia, indonesia];
    await chair.button('Open the session').click();
    for (const p of everyone) {
      await expect.poll(() => p.page.getByText('Chair console').count()).toBe(p === chair ? 1 : 0);
      await expect.poll(() => p.galleryTiles().count()).toBe(11);
      for (const name of [BRN, KHM, IDN]) {
        const tile = p.galleryTiles().filter({ hasText: name });
        await expect.poll(() => tile.textContent()).not.toContain('Not connected');
      }
      await expect.poll(() => p.page.getByRole('banner').textContent()).toMatch(/Session\s*Open/);
    }
    await expectEveryMicReceived();
  });

  it('shows every page the same speakers list', async () => {
    await brunei.button('Request the floor').click();
    await expectSpeakers([BRN]);
    await cambodia.button('Request the floor').click();
    await expectSpeakers([BRN, KHM]);
    await expect.poll(() => floorText(brunei)).toContain('You are number 1 in the speakers list');
    await expect.poll(() => floorText(cambodia)).toContain('You are number 2 in the speakers list');
    expect(await cambodia.button('Withdraw request').count()).toBe(1);
  });

  it('gives the floor: every page shows the holder, whose voice alone of the delegations is forwarded', async () => {
    await chair.button('Give the floor to the next speaker').click();
    await expectHolder(brunei, BRN);
    await expectSpeakers([KHM]);
    // Floor mode: the chair and the holder are heard; the SFU forwards no other delegation.
    await expectHeard([brunei, chair], [cambodia, indonesia]);
  });

  it('runs a tour de table through the three delegations in precedence order', async () => {
    await chair.button('Start tour de table').click();
    await expectHolder(brunei, BRN);
    for (const p of everyone)
      await expect.poll(() => floorText(p)).toContain(`Tour de table: 1 of 11, ${BRN}`);

    await brunei.button('Pass').click();
    await expectHolder(cambodia, KHM);
    for (const p of everyone)
      await expect.poll(() => floorText(p)).toContain(`Tour de table: 2 of 11, ${KHM}`);
    await expectHeard([cambodia], [brunei]);

    await cambodia.button('Pass').click();
    await expectHolder(indonesia, IDN);
    for (const p of everyone)
      await expect.poll(() => floorText(p)).toContain(`Tour de table: 3 of 11, ${IDN}`);
    await expectHeard([indonesia], [cambodia]);

    await chair.button('End tour de table').click();
    for (const p of everyone) await expect.poll(() => floorText(p)).not.toContain('Tour de table:');
  });

  it('recovers a page whose network dropped: reconnecting, then the same state and media, no duplicates', async () => {
    const before = await mic(indonesia);
    await indonesia.context.setOffline(true);
    const banner = indonesia.page.getByText('Reconnecting…');
    await banner.waitFor();
    // While it is away the floor moves to it: it must learn that once back, without a reload.
    await chair.button(`Give the floor to ${IDN}`).click();
    await expect.poll(() => floorText(chair)).toContain(`${IDN} has the floor`);
    await indonesia.page.waitForTimeout(5000);
    await indonesia.context.setOffline(false);

    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await expectHolder(indonesia, IDN);
    await expectSpeakers([KHM]);
    await expectEveryMicReceived();
    expect(await mic(indonesia)).not.toBe(before);
    await expectHeard([indonesia, chair], [brunei, cambodia]);
    for (const p of everyone) {
      expect(await p.galleryTiles().count()).toBe(11);
      expect(await p.galleryTiles().filter({ hasText: IDN }).count()).toBe(1);
      expect(await p.page.locator('audio').count()).toBe(3);
    }
  });

  it('leaves screenshots of the delegate, chair and technician consoles', async () => {
    await brunei.button('Request the floor').click();
    await expectSpeakers([KHM, BRN]);
    await brunei.screenshot(artifactPath('delegate-console.png'));
    await chair.screenshot(artifactPath('chair-console.png'));
    const technician = await demo.open('Technician');
    await technician.button(`Join ${som}`).click();
    await technician.page.getByRole('table', { name: 'Link quality' }).waitFor();
    await technician.screenshot(artifactPath('technician-console.png'));
  });
});
