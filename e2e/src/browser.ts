// Debian's Chromium driven by playwright-core, with fake camera and microphone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export interface LaunchOptions {
  /**
   * A CA certificate (PEM) this Chromium trusts, as an organisation's CA is trusted on its
   * machines: it goes into the NSS database of a home of its own (~/.pki/nssdb), where Chromium
   * on Linux reads locally trusted roots. TLS to the TURN relay is checked like any other.
   */
  trustCa?: string;
}

/** A home whose NSS database trusts `caFile` for servers, removed when the browser closes. */
function homeTrusting(caFile: string): string {
  const home = mkdtempSync(join(tmpdir(), 'summit-chromium-home-'));
  const db = `sql:${join(home, '.pki', 'nssdb')}`;
  mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
  execFileSync('certutil', ['-N', '-d', db, '--empty-password'], { stdio: 'pipe' });
  execFileSync('certutil', ['-A', '-d', db, '-n', 'Summit Bridge test CA', '-t', 'C,,', '-i', caFile], {
    stdio: 'pipe',
  });
  return home;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const home = options.trustCa ? homeTrusting(options.trustCa) : null;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    ...(home ? { env: { ...process.env, HOME: home } } : {}),
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    headless: true,
  });
  if (home) browser.on('disconnected', () => rmSync(home, { recursive: true, force: true }));
  return browser;
}
