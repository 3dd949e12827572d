// The technician console in Chromium against the real server: a delegate's page whose network
// Chromium degrades (packet loss and latency on its WebRTC sockets, through CDP) raises an alert
// on the console, and the alert clears once the network is healthy again.

import { type AppProcess, startApp } from '@summit-bridge/testkit/app-process';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath } from '../src/artifacts.js';
import { launchChromium } from '../src/browser.js';

let app: AppProcess;
const metricsToken = 'e2e-telemetry-metrics-token';
let browser: Browser;
let technician: Page;
let cambodia: Page;
let network: CDPSession;

/** The join link the demo printed for this label, for the SOM. */
function demoLink(label: string): string {
  const line = app
    .output()
    .split('\n')
    .find((l) => l.trimStart().startsWith(`${label} `));
  const url = line?.trim().split(/\s+/).at(-1);
  if (!url) throw new Error(`the demo printed no link for ${label}:\n${app.output()}`);
  return `${url.replace('http://localhost', 'http://127.0.0.1')}&session=som`;
}

// Chromium's WebRTC network emulation applies to the sockets a page opens while some emulation
// is on: a 1 ms latency from the start makes the later throttle (and its lifting) reach them.
const healthy = { offline: false, latency: 1, downloadThroughput: -1, uploadThroughput: -1, packetLoss: 0 };
const degraded = { ...healthy, latency: 300, packetLoss: 20 };

const alerts = () => technician.getByRole('list', { name: 'Alerts' }).getByRole('listitem');
const cambodiaAlerts = () => alerts().filter({ hasText: 'Cambodia' });
const cambodiaRow = () =>
  technician.getByRole('table', { name: 'Link quality' }).getByRole('row').filter({ hasText: 'Cambodia' });

beforeAll(async () => {
  app = await startApp(
    { MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_PORT: '0', METRICS_TOKEN: metricsToken },
    ['--demo'],
  );
  browser = await launchChromium();
  technician = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await technician.goto(demoLink('Technician'));
  await technician.getByRole('table', { name: 'Link quality' }).waitFor({ timeout: 30_000 });

  cambodia = await browser.newPage();
  network = await cambodia.context().newCDPSession(cambodia);
  await network.send('Network.enable');
  await network.send('Network.emulateNetworkConditions', healthy);
  await cambodia.goto(demoLink('Cambodia'));
  await cambodia.getByRole('button', { name: /^Enter (the session|anyway)$/ }).click({ timeout: 30_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it('shows every site in precedence order, the connected one with its link', async () => {
  const rows = technician.getByRole('table', { name: 'Link quality' }).getByRole('row');
  await expect.poll(() => rows.count()).toBe(12); // the header and the SOM's eleven sites
  expect(await rows.nth(1).getByRole('rowheader').textContent()).toContain('Brunei Darussalam');
  expect(await rows.nth(11).getByRole('rowheader').textContent()).toContain('ASEAN Secretariat');
  await expect.poll(() => cambodiaRow().textContent(), { timeout: 20_000 }).toMatch(/Connected\s*UDP/);
  await expect
    .poll(() => technician.getByRole('figure', { name: 'Link history of Cambodia' }).count(), {
      timeout: 10_000,
    })
    .toBe(1);
});

it('raises an alert within 15 s of the network degrading, and clears it once it recovers', async () => {
  expect(await cambodiaAlerts().count()).toBe(0);
  await network.send('Network.emulateNetworkConditions', degraded);
  await expect
    .poll(
      () =>
        cambodiaAlerts()
          .getByRole('button', { name: /^Acknowledge/ })
          .count(),
      { timeout: 15_000 },
    )
    .toBeGreaterThan(0);
  await technician.screenshot({ path: artifactPath('technician-alert.png'), fullPage: true });
  await expect.poll(() => cambodiaRow().textContent()).toMatch(/alert threshold passed/);

  const first = cambodiaAlerts()
    .filter({ has: technician.getByRole('button', { name: /^Acknowledge/ }) })
    .first();
  const what = (await first.locator('.alert__what').textContent()) ?? '';
  await first.getByRole('button', { name: /^Acknowledge/ }).click();
  await expect
    .poll(() => alerts().filter({ hasText: what }).first().textContent())
    .toMatch(/acknowledged at/);

  await network.send('Network.emulateNetworkConditions', healthy);
  await expect
    .poll(
      async () => {
        const texts = await cambodiaAlerts().allTextContents();
        return texts.length > 0 && texts.every((text) => /cleared at/.test(text));
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toBe(true);
  await technician.screenshot({ path: artifactPath('technician-cleared.png'), fullPage: true });
}, 120_000);

/** ICE restarts the server has carried out for clients, from its Prometheus metrics. */
async function iceRestartsDone(): Promise<number> {
  const text = await (
    await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
  ).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('summit_request_seconds_count{request="media:restartIce",outcome="ok"}'));
  return Number(line?.split(' ').at(-1) ?? 0);
}

it('asks a site to restart ICE and caps the layer it receives', async () => {
  const before = await iceRestartsDone();
  await technician.getByRole('button', { name: 'Restart ICE for Cambodia' }).click();
  await expect
    .poll(() => technician.getByText('Cambodia: ICE restart asked of 1 connection(s).').count())
    .toBe(1);
  // The site's page did restart ICE on its transports (send and receive), not just get asked.
  await expect.poll(iceRestartsDone, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 2);
  await technician.getByRole('combobox', { name: 'Highest layer Cambodia receives' }).selectOption({
    label: 'At most Low',
  });
  await expect
    .poll(() => technician.getByRole('combobox', { name: 'Highest layer Cambodia receives' }).inputValue(), {
      timeout: 10_000,
    })
    .toBe('0');
  // The restarted link comes back on its own.
  await expect.poll(() => cambodiaRow().textContent(), { timeout: 20_000 }).toMatch(/Connected\s*UDP/);
});
