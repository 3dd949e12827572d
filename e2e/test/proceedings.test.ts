// The proceedings end to end, in Chromium: the secretariat tables a PDF, the chair shows it on
// every screen and pages through it, puts it to adoption; Indonesia objects, the chair withdraws;
// a new version is adopted without objection; a roll-call vote; the record of the meeting tells
// all of it. Real server, real browsers, controls found by their accessible names.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { DemoMeeting, type Participant } from '../src/consoles.js';
import { makePdf } from '../src/pdf.js';

const som = "ASEAN Senior Officials' Meeting (SOM)";
const summitId = 'asean-2020';
const adminToken = 'e2e-admin-token-for-the-proceedings';
const symbol = 'ACC/2020/REC.1';

let demo: DemoMeeting;

beforeAll(async () => {
  demo = await DemoMeeting.start({ SUMMIT_ADMIN_TOKEN: adminToken });
});

afterAll(() => demo?.close());

afterEach(() => {
  for (const participant of demo.opened) expect(participant.uncaught, participant.label).toEqual([]);
});

const proceedings = (p: Participant) => p.page.getByRole('region', { name: 'Proceedings' });
const documentItem = (p: Participant) =>
  p.page.getByRole('list', { name: 'Documents' }).getByRole('listitem').filter({ hasText: symbol });
const adoption = (p: Participant) => p.page.getByRole('region', { name: 'Adoption' });
const onScreen = (p: Participant) => p.page.getByRole('region', { name: 'On screen' });

let chair: Participant;
let indonesia: Participant;
let secretariat: Participant;
let sessionId: string;

// One meeting, step by step: each step has its own time budget on a loaded machine.
it('the secretariat tables a PDF, which every console lists', async () => {
  const session = { id: await demo.sessionId(som) };
  sessionId = session.id;
  const { joinUrl } = await demo.admin<{ joinUrl: string }>('POST', `/summits/${summitId}/invitations`, {
    name: 'Secretariat',
    delegation: null,
    role: 'secretariat',
    sessions: [session.id],
  });

  chair = await demo.join('Chair (Viet Nam)', som);
  indonesia = await demo.join('Indonesia', som);
  secretariat = await demo.openIssued('Secretariat', joinUrl);
  await demo.enter(secretariat, null);
  await proceedings(secretariat).waitFor({ timeout: 20_000 });

  // The secretariat tables the recommendations, a PDF of two pages.
  await secretariat.page.getByLabel('Title').fill('Recommendations of the working group');
  await secretariat.page.getByLabel('Symbol').fill(symbol);
  await secretariat.page.getByLabel('Document file').setInputFiles({
    name: 'rec1.pdf',
    mimeType: 'application/pdf',
    buffer: makePdf(['Recommendation 1', 'Recommendation 2']),
  });
  await secretariat.button('Table the document').click();
  await documentItem(indonesia).waitFor({ timeout: 20_000 });
  await expect.poll(() => documentItem(indonesia).textContent()).toContain('Version 1 (en)');
});

it('the chair shows it on screen: every console shows it beside the stage, at the chair’s page', async () => {
  await documentItem(chair).getByRole('button', { name: 'Show on screen' }).click();
  const frame = onScreen(indonesia).locator('iframe');
  await frame.waitFor({ timeout: 20_000 });
  await expect.poll(() => frame.getAttribute('src')).toMatch(/^blob:.*#page=1$/);
  expect(await frame.getAttribute('title')).toBe(`${symbol}, version 1`);
  // What Indonesia's console fetched, with its own token, is the PDF the secretariat sent.
  const head = await indonesia.page.evaluate(async (sessionId) => {
    const { hash } = (globalThis as unknown as { location: { hash: string } }).location;
    const token = new URLSearchParams(hash.slice(1)).get('token') ?? '';
    const url = `/api/v1/summits/asean-2020/sessions/${sessionId}/documents/d1/versions/1/files/en`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return `${response.headers.get('content-type')} ${String.fromCharCode(...bytes.slice(0, 8))}`;
  }, sessionId);
  expect(head).toBe('application/pdf %PDF-1.4');
  await onScreen(chair).getByRole('button', { name: 'Next page' }).click();
  await expect.poll(() => onScreen(indonesia).locator('iframe').getAttribute('src')).toMatch(/#page=2$/);
  expect(await onScreen(indonesia).getByRole('button', { name: 'Next page' }).count()).toBe(0);
});

it('puts it to adoption; Indonesia objects, every console sees it, and the chair withdraws', async () => {
  await chair.page.getByLabel('Seconds to object').fill('600');
  await documentItem(chair).getByRole('button', { name: 'Put to adoption' }).click();
  await adoption(indonesia).getByRole('timer', { name: 'Time left to object' }).waitFor({ timeout: 20_000 });
  expect(await documentItem(indonesia).getByRole('button', { name: 'Put to adoption' }).count()).toBe(0);
  await adoption(indonesia).getByLabel('Reason (optional)').fill('Paragraph 3 needs more work');
  await adoption(indonesia).getByRole('button', { name: 'Object' }).click();
  await expect
    .poll(() => adoption(chair).getByRole('list', { name: 'Objections' }).textContent())
    .toContain('Objection by Indonesia: Paragraph 3 needs more work');
  await adoption(chair).getByRole('button', { name: 'Withdraw' }).click();
  await expect.poll(() => adoption(indonesia).textContent()).toContain('was withdrawn by the chair');
});

it('a new version, announced to everyone, is adopted without objection at its deadline', async () => {
  await secretariat.page.getByLabel(`Upload a new version of ${symbol}`).setInputFiles({
    name: 'rec1-rev1.pdf',
    mimeType: 'application/pdf',
    buffer: makePdf(['Recommendation 1 (revised)', 'Recommendation 2']),
  });
  await indonesia.page.getByText(`New version of ${symbol}: version 2`).waitFor({ timeout: 20_000 });
  await expect.poll(() => documentItem(chair).textContent()).toContain('Version 2 (en)');
  await chair.page.getByLabel('Seconds to object').fill('10');
  await documentItem(chair).getByRole('button', { name: 'Put to adoption' }).click();
  await expect
    .poll(() => adoption(indonesia).textContent(), { timeout: 30_000 })
    .toContain(`${symbol} version 2 is adopted without objection.`);
});

it('runs a roll-call vote: each delegation answers for itself, and only the chair closes it', async () => {
  await chair.page.getByLabel('Question').fill('Shall the meeting recommend REC.1 to the Ministers?');
  await chair.button('Call a vote').click();
  const yourVote = indonesia.page.getByRole('radiogroup', { name: 'Your vote' });
  await yourVote.waitFor({ timeout: 20_000 });
  await yourVote.getByRole('radio', { name: 'Yes' }).click();
  await chair.page
    .getByRole('radiogroup', { name: 'Your vote' })
    .getByRole('radio', { name: 'Abstain' })
    .click();
  const rollCall = (p: Participant) => p.page.getByRole('list', { name: 'Roll call' });
  await expect.poll(() => rollCall(chair).textContent()).toContain('Indonesia: Yes');
  await expect.poll(() => rollCall(indonesia).textContent()).toContain('Viet Nam: Abstain');
  expect(await indonesia.button('Close the vote').count()).toBe(0);
  await chair.button('Close the vote').click();
  await expect
    .poll(() => indonesia.page.getByRole('region', { name: 'Vote' }).textContent())
    .toContain('1 yes, 0 no, 1 abstaining');
});

it('the record of the meeting, for the secretariat, tells all of it in order, in the host’s time', async () => {
  expect(await indonesia.page.getByRole('link', { name: 'Record of the meeting' }).count()).toBe(0);
  await secretariat.page.getByRole('link', { name: 'Record of the meeting' }).click();
  const record = secretariat.page.getByRole('region', { name: 'Record of the meeting' });
  await record.waitFor({ timeout: 20_000 });
  const lines = await record
    .getByRole('list', { name: 'Proceedings of the session' })
    .getByRole('listitem')
    .allTextContents();
  const expected = [
    `Document ${symbol} "Recommendations of the working group" is tabled (en).`,
    `The chair shows ${symbol} version 1 on screen.`,
    `The chair puts ${symbol} version 1 to adoption`,
    'Indonesia objects: "Paragraph 3 needs more work"',
    `The chair withdraws ${symbol} version 1.`,
    `Version 2 of ${symbol} is circulated (en).`,
    `The chair puts ${symbol} version 2 to adoption`,
    `${symbol} version 2 is adopted without objection.`,
    'The chair calls a roll-call vote (simple majority): "Shall the meeting recommend REC.1 to the Ministers?".',
    'Indonesia votes yes.',
    'Viet Nam abstains.',
    'Vote on "Shall the meeting recommend REC.1 to the Ministers?": 1 yes, 0 no, 1 abstaining',
  ];
  // Each in this order (other lines, such as interventions, may come between).
  let from = 0;
  for (const text of expected) {
    const at = lines.findIndex((line, i) => i >= from && line.includes(text));
    expect(at, `"${text}" after line ${from} of:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(from);
    from = at + 1;
  }
  expect(await record.textContent()).toMatch(/Indonesia: \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2} – …/);
});
