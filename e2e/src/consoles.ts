// A participant's browser page, driven as a person would drive it: links opened, controls found
// by role and accessible name, what the page shows read back.

import { type AppProcess, startApp } from '@summit-bridge/testkit/app-process';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { type LaunchOptions, launchChromium } from './browser.js';

/** What the client exposes for diagnostics (client/src/features/join/SessionRoom.tsx). */
export interface InboundStat {
  producerId: string;
  kind: string;
  bytesReceived: number;
}

interface Bridge {
  summitBridge?: { inboundStats(): Promise<InboundStat[]> };
}

/**
 * The join links `--demo` prints, by label ("Chair (Viet Nam)", "Brunei Darussalam"…). They name
 * the server's public URL (localhost); the test server listens on 127.0.0.1 only, so the links
 * are read on that origin, path and fragment unchanged.
 */
export async function demoLinks(app: AppProcess, timeoutMs = 30_000): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  // The technician's link is printed last.
  while (!/^\s+Technician\s+http/m.test(app.output())) {
    if (Date.now() > deadline) throw new Error(`no demo links printed:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const links = new Map<string, string>();
  for (const match of app.output().matchAll(/^\s+(\S.*?)\s{2,}(https?:\/\/\S+)$/gm)) {
    const printed = new URL(match[2] ?? '');
    links.set(match[1] ?? '', `${app.url}${printed.pathname}${printed.hash}`);
  }
  return links;
}

export class Participant {
  /** Exceptions the page's scripts threw and nobody caught. */
  readonly uncaught: string[] = [];

  private constructor(
    readonly label: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (error) => this.uncaught.push(error.message));
  }

  /** A browser context of its own (its own cookies, devices and network), on the link. */
  static async open(browser: Browser, label: string, url: string): Promise<Participant> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    // On two cores busy with other tests, a first load has taken over 30 s.
    context.setDefaultNavigationTimeout(60_000);
    const participant = new Participant(label, context, await context.newPage());
    await participant.page.goto(url);
    return participant;
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** The region named "Floor": who holds it, the tour, this delegation's own request. */
  floor(): Locator {
    return this.page.getByRole('region', { name: 'Floor' });
  }

  /** The delegations in the list named "Speakers list", in the order shown. */
  async speakers(names: readonly string[]): Promise<string[]> {
    const items = await this.page
      .getByRole('list', { name: 'Speakers list' })
      .getByRole('listitem')
      .allTextContents();
    return items.map((text) => names.find((name) => text.includes(name)) ?? text);
  }

  /** The tiles of the gallery, one figure per seat. */
  galleryTiles(): Locator {
    return this.page.getByRole('region', { name: 'Gallery' }).getByRole('figure');
  }

  async inbound(): Promise<InboundStat[]> {
    return this.page.evaluate(
      () => (globalThis as unknown as Bridge).summitBridge?.inboundStats() ?? Promise.resolve([]),
    );
  }

  async bytesFrom(producerId: string): Promise<number> {
    const stat = (await this.inbound()).find((s) => s.producerId === producerId);
    // Not consuming it at all is not the same as receiving nothing from it.
    if (!stat) throw new Error(`${this.label} does not consume producer ${producerId}`);
    return stat.bytesReceived;
  }

  /** Whether a producer's media keeps arriving here: its bytes grow over a measurement window. */
  async receiving(producerId: string, windowMs = 1500): Promise<boolean> {
    const before = await this.bytesFrom(producerId);
    await this.page.waitForTimeout(windowMs);
    return (await this.bytesFrom(producerId)) > before;
  }

  /** The top of the page, as the participant first sees it. */
  async screenshot(path: string): Promise<void> {
    await this.page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    await this.page.screenshot({ path, animations: 'disabled' });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/**
 * The microphone producer of `who`: the audio every other participant receives and `who` does
 * not (nobody receives their own voice back).
 */
export async function micOf(who: Participant, everyone: readonly Participant[]): Promise<string | null> {
  const own = new Set((await who.inbound()).map((s) => s.producerId));
  const others = everyone.filter((p) => p !== who);
  const heard = await Promise.all(
    others.map(async (p) => (await p.inbound()).filter((s) => s.kind === 'audio').map((s) => s.producerId)),
  );
  const candidates = (heard[0] ?? []).filter((id) => !own.has(id) && heard.every((ids) => ids.includes(id)));
  return candidates.length === 1 ? (candidates[0] ?? null) : null;
}

/** `who`'s microphone producer once every page in `everyone` tells it apart (media takes a moment). */
export async function waitForMic(
  who: Participant,
  everyone: readonly Participant[],
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const producerId = await micOf(who, everyone);
    if (producerId) return producerId;
    if (Date.now() > deadline) throw new Error(`no microphone of ${who.label} heard by every page`);
    await who.page.waitForTimeout(100);
  }
}

/**
 * What the console tests start from: the built server with its demo summit (one media worker,
 * loopback only), its printed links, and one Chromium in which each participant opens theirs.
 */
export class DemoMeeting {
  /** Every page opened, for the tests to check that none threw. */
  readonly opened: Participant[] = [];

  private constructor(
    readonly app: AppProcess,
    readonly browser: Browser,
    readonly links: Map<string, string>,
    private readonly adminToken: string | null,
  ) {}

  /** `env`: more server configuration (TURN, say); `browser`: how Chromium is launched. */
  static async start(env: Record<string, string> = {}, browser: LaunchOptions = {}): Promise<DemoMeeting> {
    const app = await startApp(
      { MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_PORT: '0', MEDIA_WORKERS: '1', LOG_LEVEL: 'warn', ...env },
      ['--demo'],
    );
    const links = await demoLinks(app);
    return new DemoMeeting(app, await launchChromium(browser), links, env.SUMMIT_ADMIN_TOKEN ?? null);
  }

  /** The admin API (/api/v1) with the SUMMIT_ADMIN_TOKEN the meeting was started with. */
  async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.adminToken) throw new Error('start the meeting with a SUMMIT_ADMIN_TOKEN to use the admin API');
    const response = await fetch(`${this.app.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** The id of the demo summit's session of this title. */
  async sessionId(title: string): Promise<string> {
    const { summit } = await this.admin<{ summit: { sessions: { id: string; title: { en: string } }[] } }>(
      'GET',
      '/summits/asean-2020',
    );
    const session = summit.sessions.find((s) => s.title.en === title);
    if (!session) throw new Error(`no session ${title} in the demo`);
    return session.id;
  }

  /** A link the admin API issued (its join URL), opened on this meeting's server. */
  async openIssued(label: string, joinUrl: string): Promise<Participant> {
    const printed = new URL(joinUrl);
    return this.openUrl(label, `${this.app.url}${printed.pathname}${printed.hash}`);
  }

  /** `label`'s printed link, on `origin` (another way to the same server, such as a relay). */
  link(label: string, origin = this.app.url): string {
    const printed = this.links.get(label);
    if (!printed) throw new Error(`no demo link for ${label}`);
    const url = new URL(printed);
    return `${origin}${url.pathname}${url.hash}`;
  }

  async open(label: string, origin?: string): Promise<Participant> {
    return this.openUrl(label, this.link(label, origin));
  }

  /** A join link the demo did not print (an invitation issued through the admin API, say). */
  async openUrl(label: string, url: string): Promise<Participant> {
    const participant = await Participant.open(this.browser, label, url);
    this.opened.push(participant);
    return participant;
  }

  /** From the session choice (if invited to several) through the pre-join check (over UDP), up to entering. */
  async enter(participant: Participant, sessionTitle: string | null): Promise<void> {
    if (sessionTitle) await participant.button(`Join ${sessionTitle}`).click();
    await participant.page.getByText('Good: audio and video flow over UDP.').waitFor({ timeout: 20_000 });
    await participant.button('Enter the session').click();
  }

  /** From the printed link to the console: the session chosen, the pre-join check passed over UDP. */
  async join(label: string, sessionTitle: string, origin?: string): Promise<Participant> {
    const participant = await this.open(label, origin);
    await this.enter(participant, sessionTitle);
    await participant.floor().waitFor({ timeout: 20_000 });
    return participant;
  }

  async close(): Promise<void> {
    for (const participant of this.opened) await participant.close().catch(() => undefined);
    await this.browser.close();
    await this.app.stop();
  }
}
