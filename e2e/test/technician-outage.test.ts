// The technician's own page offline for longer than socket.io can recover: meanwhile a site
// comes back and the server clears its alert. Back online, the console must show the server's
// alerts as they are (its snapshot), not the alert it held before the outage.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DemoMeeting, type Participant } from '../src/consoles.js';

const KOR = 'Republic of Korea';
// Longer than the server's detection of a dead link plus socket.io's recovery window (30 s), with
// the heartbeat this project had before (10 s + 10 s): no recovery can replay the missed pushes.
const OUTAGE_MS = 60_000;

let demo: DemoMeeting;
let technician: Participant;

/** Korea's page from its printed link (one session), through the pre-join check into the ASEAN+3 Summit. */
async function openKorea(): Promise<Participant> {
  const korea = await demo.open(KOR);
  await korea.button('Enter the session').click({ timeout: 30_000 });
  await korea.floor().waitFor({ timeout: 20_000 });
  return korea;
}

const koreaAlerts = () =>
  technician.page.getByRole('list', { name: 'Alerts' }).getByRole('listitem').filter({ hasText: KOR });
const koreaRow = () =>
  technician.page.getByRole('table', { name: 'Link quality' }).getByRole('row').filter({ hasText: KOR });
const upAlerts = () =>
  koreaAlerts().filter({ has: technician.page.getByRole('button', { name: /^Acknowledge/ }) });

beforeAll(async () => {
  demo = await DemoMeeting.start();
});

afterAll(() => demo?.close());

it('replaces what the console held by the snapshot after an outage longer than the recovery window', async () => {
  technician = await demo.open('Technician');
  await technician.button('Join Special ASEAN Plus Three Summit on COVID-19').click();
  await technician.page.getByRole('table', { name: 'Link quality' }).waitFor({ timeout: 30_000 });

  const korea = await openKorea();
  await expect.poll(() => koreaRow().textContent(), { timeout: 20_000 }).toMatch(/Connected/);
  await korea.close();
  await expect
    .poll(() => upAlerts().filter({ hasText: 'Critical: Site disconnected' }).count(), { timeout: 20_000 })
    .toBe(1);

  await technician.context.setOffline(true);
  await technician.page.getByText('Reconnecting…').waitFor({ timeout: 30_000 });
  const offlineAt = Date.now();
  // While the technician is away, Korea comes back and the server clears the alert.
  await openKorea();
  await technician.page.waitForTimeout(OUTAGE_MS - (Date.now() - offlineAt));
  await technician.context.setOffline(false);

  await technician.page.getByText('Reconnecting…').waitFor({ state: 'detached', timeout: 30_000 });
  await expect.poll(() => koreaRow().textContent()).toMatch(/Connected/);
  await expect.poll(() => koreaAlerts().count()).toBeGreaterThan(0);
  await expect.poll(() => upAlerts().count()).toBe(0);
  for (const text of await koreaAlerts().allTextContents()) expect(text).toMatch(/cleared at/);
  for (const participant of demo.opened) expect(participant.uncaught, participant.label).toEqual([]);
}, 180_000);
