// Through the TURN relay only, as from a network that lets nothing out but TCP to the relay:
// Debian's coturn on loopback, its TLS certificate issued by a test CA that this Chromium's
// profile trusts, the built server handing out TURN credentials, and pages whose relay switch
// (`#…&relay=tcp|tls`) makes Chromium use relay candidates only (iceTransportPolicy 'relay').
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { turnPassword } from '@summit-bridge/server';
import { makeTestCa, type TestCa } from '@summit-bridge/testkit/test-certificates';
import { startTurn, type TurnServer } from '@summit-bridge/testkit/turn-process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../src/browser.js';
import { DemoMeeting, Participant, waitForMic } from '../src/consoles.js';

const som = "ASEAN Senior Officials' Meeting (SOM)";
const secret = randomBytes(32).toString('base64url');

let ca: TestCa;
let turn: TurnServer;
let meeting: DemoMeeting;
let chair: Participant;

interface LinkPath {
  direction: string;
  state: string;
  localCandidate: string | null;
  relayProtocol: string | null;
}
type WithPaths = { summitBridge?: { linkPaths(): Promise<LinkPath[]> } };

beforeAll(async () => {
  ca = makeTestCa();
  turn = await startTurn({
    secret,
    certificate: ca.issue('turn', ['127.0.0.1', 'localhost']),
    allowedPeers: ['127.0.0.1'],
  });
  meeting = await DemoMeeting.start(
    { TURN_URLS: Object.values(turn.urls).join(','), TURN_SECRET: secret },
    { trustCa: ca.caFile },
  );
  chair = await meeting.join('Chair (Viet Nam)', som);
  await chair.button('Open the session').click();
  // Open microphones: every delegation is heard, whoever holds the floor.
  // Checked once the server has applied it (a click, then the session's push).
  const open = chair.page.getByRole('radio', { name: /^Open: every delegation/ });
  await open.click();
  // expect.poll is for tests, not their setup: a plain wait.
  for (const deadline = Date.now() + 20_000; !(await open.isChecked()); ) {
    if (Date.now() > deadline) throw new Error('the session never went to open microphones');
    await chair.page.waitForTimeout(100);
  }
}, 90_000);

afterAll(async () => {
  await meeting?.close();
  await turn?.stop();
  ca?.remove();
});

afterEach(() => {
  for (const participant of meeting.opened) expect(participant.uncaught, participant.label).toEqual([]);
});

/** A delegation's page with the relay switch on: the pre-join check finds only the relay. */
async function joinThroughRelay(label: string, relay: 'tcp' | 'tls'): Promise<Participant> {
  const page = await Participant.open(meeting.browser, label, `${meeting.link(label)}&relay=${relay}`);
  meeting.opened.push(page);
  await page.button(`Join ${som}`).click();
  await page.page.getByText('Usable through the relay').waitFor({ timeout: 30_000 });
  await page.button('Enter the session').click();
  await page.floor().waitFor({ timeout: 20_000 });
  return page;
}

const linkPaths = (p: Participant) =>
  p.page.evaluate(() => (globalThis as unknown as WithPaths).summitBridge?.linkPaths() ?? []);

/** Audio bytes from `producerId` arriving at `at` over 3 s. */
async function bytesIn3s(at: Participant, producerId: string): Promise<number> {
  const before = await at.bytesFrom(producerId);
  await at.page.waitForTimeout(3000);
  return (await at.bytesFrom(producerId)) - before;
}

/** Both transports on relay candidates reached over `relay`; audio both ways with the chair. */
async function expectRelayedAudio(site: Participant, relay: 'tcp' | 'tls'): Promise<void> {
  await expect
    .poll(() => linkPaths(site))
    .toEqual(
      [
        { direction: 'send', state: 'connected', localCandidate: 'relay', relayProtocol: relay },
        { direction: 'recv', state: 'connected', localCandidate: 'relay', relayProtocol: relay },
      ].map((path) => expect.objectContaining(path)),
    );
  const everyone = [chair, site];
  const siteMic = await waitForMic(site, everyone);
  const chairMic = await waitForMic(chair, everyone);
  await expect.poll(() => chair.receiving(siteMic)).toBe(true);
  await expect.poll(() => site.receiving(chairMic)).toBe(true);
  const [up, down] = await Promise.all([bytesIn3s(chair, siteMic), bytesIn3s(site, chairMic)]);
  console.log(`${site.label} through TURN over ${relay}: ${up} audio bytes up, ${down} down in 3 s`);
  // Opus speech runs at about 4 kB/s: a trickle of keep-alives would be far below this.
  expect(up).toBeGreaterThan(3000);
  expect(down).toBeGreaterThan(3000);
}

describe('a site that can reach only the TURN relay', () => {
  it('joins through coturn over TCP; audio flows both ways; the technician sees the relay', async () => {
    const brunei = await joinThroughRelay('Brunei Darussalam', 'tcp');
    await expectRelayedAudio(brunei, 'tcp');
    const technician = await meeting.open('Technician');
    await technician.button(`Join ${som}`).click();
    const row = technician.page
      .getByRole('table', { name: 'Link quality' })
      .getByRole('row')
      .filter({ hasText: 'Brunei Darussalam' });
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/Connected\s*Relay/);
    await technician.close();
  });

  it('joins through coturn over TLS, its certificate checked against the trusted CA', async () => {
    const cambodia = await joinThroughRelay('Cambodia', 'tls');
    await expectRelayedAudio(cambodia, 'tls');
  });

  it('cannot use TLS to a relay whose certificate this browser does not trust', async () => {
    const untrusting = await launchChromium();
    try {
      const indonesia = await Participant.open(
        untrusting,
        'Indonesia',
        `${meeting.link('Indonesia')}&relay=tls`,
      );
      await indonesia.button(`Join ${som}`).click();
      await indonesia.page.getByText('The media server cannot be reached').waitFor({ timeout: 40_000 });
      expect(indonesia.uncaught).toEqual([]);
    } finally {
      await untrusting.close();
    }
  });
});

describe('coturn', () => {
  const run = promisify(execFile);
  /** An allocation over TCP with turnutils_uclient: its exit code and what it printed. */
  async function allocate(username: string, password: string): Promise<{ ok: boolean; output: string }> {
    // biome-ignore format: flag and value pairs
    const args = ['-t', '-n', '1', '-m', '1', '-e', '127.0.0.1', '-u', username, '-w', password,
      '-p', String(turn.port), '127.0.0.1'];
    try {
      const { stdout, stderr } = await run('turnutils_uclient', args, { timeout: 60_000 });
      return { ok: true, output: stdout + stderr };
    } catch (err) {
      const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
      return { ok: false, output: stdout + stderr };
    }
  }

  it('allocates with the server’s credentials, and refuses a wrong HMAC or a past expiry', async () => {
    const now = Math.floor(Date.now() / 1000);
    const valid = `${now + 600}:probe`;
    const expired = `${now - 60}:probe`;
    const [good, wrongHmac, pastExpiry] = await Promise.all([
      allocate(valid, turnPassword(secret, valid)),
      allocate(valid, turnPassword(`${secret}-not-it`, valid)),
      allocate(expired, turnPassword(secret, expired)),
    ]);
    expect(good.ok, good.output).toBe(true);
    for (const refused of [wrongHmac, pastExpiry]) {
      expect(refused.ok, refused.output).toBe(false);
      expect(refused.output).toContain('Cannot complete Allocation');
    }
  });
});
