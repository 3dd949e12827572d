// The technician's own page offline for longer than socket.io can recover: meanwhile a site
// comes back and the server clears its alert. Back online, the console must show the server's
// alerts as they are (its snapshot), not the alert it held before the outage.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AppProcess, startApp } from '../src/appProcess.js';
import { launchChromium } from '../src/browser.js';
import { demoLinks } from '../src/consoles.js';

const KOR = 'Republic of Korea';
// Longer than the server's detection of a dead link plus socket.io's recovery window (30 s), with
// the heartbeat this project had before (10 s + 10 s): no recovery can replay the missed pushes.
const OUTAGE_MS = 60_000;

let app: AppProcess;
let browser: Browser;
let links: Map<string, string>;
let technician: Page;

const link = (label: string) => {
  const url = links.get(label);
  if (!url) throw new Error(`no demo link for ${label}`);
  return url;
};

/** Korea's page from its printed link, through the pre-join check into the ASEAN+3 Summit. */
async function openKorea(): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(link(KOR));
  await page.getByRole('button', { name: /^Enter (the session|anyway)$/ }).click({ timeout: 30_000 });
  await page.getByRole('region', { name: 'Floor' }).waitFor({ timeout: 20_000 });
  return page;
}

const koreaAlerts = () =>
  technician.getByRole('list', { name: 'Alerts' }).getByRole('listitem').filter({ hasText: KOR });
const koreaRow = () =>
  technician.getByRole('table', { name: 'Link quality' }).getByRole('row').filter({ hasText: KOR });
const upAlerts = () =>
  koreaAlerts().filter({ has: technician.getByRole('button', { name: /^Acknowledge/ }) });

beforeAll(async () => {
  app = await startApp(
    { MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_PORT: '0', MEDIA_WORKERS: '1', LOG_LEVEL: 'warn' },
    ['--demo'],
  );
  links = await demoLinks(app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it('replaces what the console held by the snapshot after an outage longer than the recovery window', async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1600, height: 1000 } });
  technician = await context.newPage();
  await technician.goto(`${link('Technician')}&session=apt-summit`);
  await technician.getByRole('table', { name: 'Link quality' }).waitFor({ timeout: 30_000 });

  const korea = await openKorea();
  await expect.poll(() => koreaRow().textContent(), { timeout: 20_000 }).toMatch(/Connected/);
  await korea.context().close();
  await expect
    .poll(() => upAlerts().filter({ hasText: 'Critical: Site disconnected' }).count(), { timeout: 20_000 })
    .toBe(1);

  await context.setOffline(true);
  await technician.getByText('Reconnecting…').waitFor({ timeout: 30_000 });
  const offlineAt = Date.now();
  // While the technician is away, Korea comes back and the server clears the alert.
  const back = await openKorea();
  await technician.waitForTimeout(OUTAGE_MS - (Date.now() - offlineAt));
  await context.setOffline(false);

  await technician.getByText('Reconnecting…').waitFor({ state: 'detached', timeout: 30_000 });
  await expect.poll(() => koreaRow().textContent()).toMatch(/Connected/);
  await expect.poll(() => koreaAlerts().count()).toBeGreaterThan(0);
  await expect.poll(() => upAlerts().count()).toBe(0);
  for (const text of await koreaAlerts().allTextContents()) expect(text).toMatch(/cleared at/);
  await back.context().close();
}, 180_000);
