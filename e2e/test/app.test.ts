import { type AppProcess, startApp } from '@summit-bridge/testkit/app-process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath } from '../src/artifacts.js';
import { launchChromium } from '../src/browser.js';

let app: AppProcess;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it('serves the health check and the client to Chromium', async () => {
  const health = await fetch(`${app.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok' });

  const page = await browser.newPage();
  await page.goto(`${app.url}/join`);
  await expect.poll(() => page.getByRole('heading', { name: 'Summit Bridge' }).count()).toBe(1);
  await page.screenshot({ path: artifactPath('home.png') });
});
