// A session with a lobby, end to end: delegations that enter wait, seeing and hearing nothing of
// the session; the secretariat sees each one's name and camera and admits them; a technician
// refuses someone, who stays out. Real server, real Chromium with fake devices.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { DemoMeeting, micOf, type Participant } from '../src/consoles.js';

const som = "ASEAN Senior Officials' Meeting (SOM)";
const summitId = 'asean-2020';
const adminToken = 'e2e-admin-token-for-the-lobby';
const BRN = 'Brunei Darussalam';
const KHM = 'Cambodia';

let demo: DemoMeeting;

beforeAll(async () => {
  demo = await DemoMeeting.start({ SUMMIT_ADMIN_TOKEN: adminToken });
});

afterAll(() => demo?.close());

afterEach(() => {
  for (const participant of demo.opened) expect(participant.uncaught, participant.label).toEqual([]);
});

const waitingScreen = (p: Participant) => p.page.getByRole('heading', { name: 'Waiting to be admitted' });
const lobby = (p: Participant) => p.page.getByRole('region', { name: 'Lobby' });
const videoBytes = async (p: Participant) =>
  (await p.inbound()).filter((s) => s.kind === 'video').reduce((sum, s) => sum + s.bytesReceived, 0);

it('holds delegations in the lobby until the secretariat, having seen them, admits them', async () => {
  const session = { id: await demo.sessionId(som) };
  await demo.admin('PATCH', `/summits/${summitId}/sessions/${session.id}`, { lobby: true });
  const { joinUrl } = await demo.admin<{ joinUrl: string }>('POST', `/summits/${summitId}/invitations`, {
    name: 'Secretariat',
    delegation: null,
    role: 'secretariat',
    sessions: [session.id],
  });

  // Those who run the session go straight in.
  const chair = await demo.join('Chair (Viet Nam)', som);
  const secretariat = await demo.openIssued('Secretariat', joinUrl);
  await demo.enter(secretariat, null); // invited to one session: no choice to make
  await secretariat.floor().waitFor({ timeout: 20_000 });
  await expect.poll(() => lobby(secretariat).textContent()).toContain('Nobody is waiting.');

  // A delegation waits: nothing of the session reaches it, its voice reaches nobody.
  const brunei = await demo.open(BRN);
  await demo.enter(brunei, som);
  await waitingScreen(brunei).waitFor({ timeout: 20_000 });
  expect(await brunei.floor().count()).toBe(0);
  const entry = lobby(secretariat)
    .getByRole('listitem')
    .filter({ hasText: `Head of Delegation, ${BRN}` });
  await entry.waitFor({ timeout: 20_000 });
  await expect.poll(() => entry.textContent()).toContain('Head of delegation');
  // Its camera, and only that, reaches the staff.
  const seen = await videoBytes(secretariat);
  await expect.poll(() => videoBytes(secretariat), { timeout: 20_000 }).toBeGreaterThan(seen);
  await expect
    .poll(() =>
      entry
        .getByRole('img', { name: `Camera of Head of Delegation, ${BRN}` })
        .locator('video')
        .count(),
    )
    .toBe(1);
  expect(await brunei.inbound()).toEqual([]);
  expect((await chair.inbound()).filter((s) => s.kind === 'audio')).toEqual([]);

  await secretariat.button(`Admit Head of Delegation, ${BRN}`).click();
  await brunei.floor().waitFor({ timeout: 20_000 });
  await expect.poll(() => lobby(secretariat).textContent()).toContain('Nobody is waiting.');
  // Inside: it hears the chair; the chair receives its microphone (held back by the floor until it
  // speaks) and sees its camera in the gallery.
  await expect.poll(() => micOf(chair, [chair, brunei]), { timeout: 20_000 }).not.toBeNull();
  const chairVoice = (await micOf(chair, [chair, brunei])) ?? '';
  await expect.poll(() => brunei.receiving(chairVoice), { timeout: 20_000 }).toBe(true);
  await expect.poll(() => micOf(brunei, [chair, brunei]), { timeout: 20_000 }).not.toBeNull();
  const bruneiTile = chair.galleryTiles().filter({ hasText: BRN });
  await bruneiTile.scrollIntoViewIfNeeded(); // a tile out of sight receives no video
  await expect.poll(() => bruneiTile.locator('video').count(), { timeout: 20_000 }).toBe(1);
});

it('keeps out whom a technician refuses, and says so', async () => {
  const technician = await demo.open('Technician');
  await technician.button(`Join ${som}`).click();
  await technician.page.getByRole('table', { name: 'Link quality' }).waitFor({ timeout: 30_000 });

  const cambodia = await demo.open(KHM);
  await demo.enter(cambodia, som);
  await waitingScreen(cambodia).waitFor({ timeout: 20_000 });
  const entry = lobby(technician)
    .getByRole('listitem')
    .filter({ hasText: `Head of Delegation, ${KHM}` });
  await entry.waitFor({ timeout: 20_000 });
  // The technician has no media of its own, yet sees who waits.
  await expect
    .poll(
      () =>
        entry
          .getByRole('img', { name: `Camera of Head of Delegation, ${KHM}` })
          .locator('video')
          .count(),
      {
        timeout: 20_000,
      },
    )
    .toBe(1);

  await technician.button(`Refuse Head of Delegation, ${KHM}`).click();
  await cambodia.page.getByRole('heading', { name: 'Not admitted' }).waitFor({ timeout: 20_000 });
  await expect.poll(() => lobby(technician).textContent()).toContain('Nobody is waiting.');
  // It does not queue again behind the secretariat's back.
  await cambodia.page.waitForTimeout(2_000);
  expect(await lobby(technician).getByRole('listitem').count()).toBe(0);
});
