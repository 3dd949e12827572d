// Simultaneous interpretation end to end, in Chromium with fake devices: a delegate picks
// Vietnamese and hears the vi booth's live interpreter (bytes measured), the two interpreters of
// the booth hand over, the cough button silences; a delegate on the floor receives no channel.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { DemoMeeting, type Participant, waitForMic } from '../src/consoles.js';

const som = "ASEAN Senior Officials' Meeting (SOM)";
let demo: DemoMeeting;

beforeAll(async () => {
  demo = await DemoMeeting.start();
});

afterAll(() => demo?.close());

afterEach(() => {
  for (const participant of demo.opened) expect(participant.uncaught, participant.label).toEqual([]);
});

const booth = (p: Participant) => p.page.getByRole('region', { name: 'Booth', exact: true });
const onAir = (p: Participant) => booth(p).getByRole('status').first();

it('carries a booth to the listener who chose its language, through handover and cough', {
  timeout: 300_000,
}, async () => {
  const chair = await demo.join('Chair (Viet Nam)', som);
  await chair.button('Open the session').click();
  const brunei = await demo.join('Brunei Darussalam', som);
  const cambodia = await demo.join('Cambodia', som);
  const vi1 = await demo.join('Interpreter (vi) 1', som);
  const vi2 = await demo.join('Interpreter (vi) 2', som);

  // The interpreter's console: its booth, off air, the floor as its input.
  await expect.poll(() => onAir(vi1).textContent()).toBe('Off air');
  await expect
    .poll(() => booth(vi1).getByRole('combobox', { name: 'Listening to' }).inputValue())
    .toBe('floor');

  // Brunei listens in Vietnamese; Cambodia stays on the floor.
  await brunei.page
    .getByRole('combobox', { name: 'Language', exact: true })
    .selectOption({ label: 'Vietnamese' });
  await expect.poll(() => brunei.page.getByRole('slider', { name: 'Floor level' }).inputValue()).toBe('20');

  // The first interpreter takes the booth: on air, and Brunei hears it.
  await booth(vi1).getByRole('button', { name: 'Take over' }).click();
  await expect.poll(() => onAir(vi1).textContent()).toBe('On air');
  const first = await waitForMic(vi1, [vi2, brunei]);
  await expect.poll(() => brunei.receiving(first), { timeout: 20_000 }).toBe(true);

  // The partner asks; the live one sees it coming and hands over.
  await booth(vi2).getByRole('button', { name: 'Take over' }).click();
  await expect.poll(() => booth(vi1).textContent()).toContain('Interpreter VI 2 asks to take over.');
  await booth(vi1).getByRole('button', { name: 'Hand over' }).click();
  await expect.poll(() => onAir(vi2).textContent()).toBe('On air');
  await expect.poll(() => onAir(vi1).textContent()).toBe('Off air');
  const second = await waitForMic(vi2, [vi1, brunei]);
  await expect.poll(() => brunei.receiving(second), { timeout: 20_000 }).toBe(true);
  await expect.poll(() => brunei.receiving(first), { timeout: 10_000 }).toBe(false);

  // Cough: silent while held, back on release.
  const cough = booth(vi2).getByRole('button', { name: 'Cough' });
  await cough.hover();
  await vi2.page.mouse.down();
  await expect.poll(() => onAir(vi2).textContent()).toBe('Cough: your microphone is closed');
  await expect.poll(() => brunei.receiving(second), { timeout: 10_000 }).toBe(false);
  await vi2.page.mouse.up();
  await expect.poll(() => onAir(vi2).textContent()).toBe('On air');
  await expect.poll(() => brunei.receiving(second), { timeout: 10_000 }).toBe(true);

  // The floor listener receives no channel at all: choosing is what costs.
  const channels = new Set([first, second]);
  expect((await cambodia.inbound()).filter((s) => channels.has(s.producerId))).toEqual([]);
  expect(chair.uncaught).toEqual([]);
});
