// Proceedings at the socket and over HTTP, on a real server: documents up and down (type by
// content, size limit), on screen, adoption with an objection and a withdrawal, a roll-call vote,
// what delegates may not do, and the record of the meeting drafted from it all.
import type { MeetingRecord, ProceedingsState } from '@summit-bridge/protocol';
import { connectParticipant, type SignalingClient } from '@summit-bridge/testkit/signaling-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/testServer.js';

let server: TestServer;
const open: SignalingClient[] = [];
const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n%%EOF\n`);
const base = () => `${server.url}/api/v1/summits/asean-2020/sessions/som`;

async function enter(
  role: 'head_of_delegation' | 'delegate' | 'chair' | 'secretariat',
  delegation: string | null,
) {
  const token = await server.invite({ role, delegation, sessions: ['som'] });
  const client = await connectParticipant(server.url, token, 'som');
  open.push(client);
  return { client, token };
}

function upload(
  token: string,
  path: string,
  body: Uint8Array,
  query: Record<string, string>,
  method = 'POST',
) {
  return fetch(`${base()}${path}?${new URLSearchParams(query)}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body,
  });
}

const latest = (c: SignalingClient) => c.pushes('proceedings:updated').at(-1) as ProceedingsState | undefined;

let chair: SignalingClient;
let chairToken: string;
let indonesia: SignalingClient;
let secretariatToken: string;
let adviserIdn: SignalingClient;

beforeAll(async () => {
  server = await startTestServer({ DOCUMENT_MAX_BYTES: '4096' });
  ({ client: chair, token: chairToken } = await enter('chair', 'VNM'));
  ({ client: indonesia } = await enter('head_of_delegation', 'IDN'));
  ({ client: adviserIdn } = await enter('delegate', 'IDN'));
  secretariatToken = await server.invite({ role: 'secretariat', delegation: null, sessions: ['som'] });
});

afterAll(async () => {
  for (const c of open) c.close();
  await server?.close();
});

describe('documents', () => {
  it('are tabled by the secretariat, typed by their bytes, announced, and read back by delegations', async () => {
    const res = await upload(secretariatToken, '/documents', pdf('REC.1 v1'), {
      title: 'Recommendations of the working group',
      symbol: 'ACC/2020/REC.1',
      language: 'en',
      format: 'markdown',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      document: { id: 'd1', versions: [{ version: 1, files: [{ format: 'pdf' }] }] },
    });
    await expect.poll(() => latest(indonesia)?.documents.map((d) => d.symbol)).toEqual(['ACC/2020/REC.1']);

    const idnToken = await server.invite({
      role: 'head_of_delegation',
      delegation: 'IDN',
      sessions: ['som'],
    });
    const read = await fetch(`${base()}/documents/d1/versions/1/files/en`, {
      headers: { authorization: `Bearer ${idnToken}` },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe('application/pdf');
    expect(read.headers.get('content-security-policy')).toContain('sandbox');
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(pdf('REC.1 v1'));
  });

  it('refuses what is neither a PDF nor text, bodies over the limit, and delegations tabling', async () => {
    const exe = await upload(secretariatToken, '/documents', new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0]), {
      title: 'Not a document',
      symbol: 'X/1',
      language: 'en',
    });
    expect(exe.status).toBe(400);
    const big = await upload(secretariatToken, '/documents', new Uint8Array(5000).fill(0x41), {
      title: 'Too long',
      symbol: 'X/2',
      language: 'en',
    });
    expect(big.status).toBe(413);
    const idnToken = await server.invite({
      role: 'head_of_delegation',
      delegation: 'IDN',
      sessions: ['som'],
    });
    const byDelegation = await upload(idnToken, '/documents', pdf('mine'), {
      title: 'Mine',
      symbol: 'X/3',
      language: 'en',
    });
    expect(byDelegation.status).toBe(403);
    const again = await upload(secretariatToken, '/documents', pdf('again'), {
      title: 'Again',
      symbol: 'ACC/2020/REC.1',
      language: 'en',
    });
    expect(again.status).toBe(409);
  });

  it('take new versions and language versions; earlier versions stay readable', async () => {
    expect(
      (await upload(chairToken, '/documents/d1/versions', pdf('REC.1 v2'), { language: 'en' })).status,
    ).toBe(201);
    const vi = new TextEncoder().encode('# Khuyến nghị\n');
    expect(
      (await upload(chairToken, '/documents/d1/versions/2/files/vi', vi, { format: 'markdown' }, 'PUT'))
        .status,
    ).toBe(201);
    await expect
      .poll(() =>
        latest(indonesia)?.documents[0]?.versions.map((v) => v.files.map((f) => `${f.language}:${f.format}`)),
      )
      .toEqual([['en:pdf'], ['en:pdf', 'vi:markdown']]);
    const v1 = await fetch(`${base()}/documents/d1/versions/1/files/en`, {
      headers: { authorization: `Bearer ${chairToken}` },
    });
    expect(new Uint8Array(await v1.arrayBuffer())).toEqual(pdf('REC.1 v1'));
  });

  it('go on screen for everyone when the chair shows them, scrolled where the chair is', async () => {
    expect(
      await chair.request('proceedings:show', { documentId: 'd1', version: 2, language: 'en' }),
    ).toMatchObject({ ok: true });
    expect(await chair.request('proceedings:scroll', { page: 2, scroll: 0.25 })).toMatchObject({ ok: true });
    await expect
      .poll(() => latest(indonesia)?.onScreen)
      .toEqual({ documentId: 'd1', version: 2, language: 'en', page: 2, scroll: 0.25 });
    expect(await indonesia.request('proceedings:scroll', { page: 1, scroll: 0 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('adoption and votes', () => {
  it('takes an objection from a head of delegation, for its own delegation only', async () => {
    expect(
      await chair.request('proceedings:openAdoption', {
        documentId: 'd1',
        version: 1,
        mode: 'in_session',
        durationSec: 60,
      }),
    ).toMatchObject({ ok: true });
    expect(
      await indonesia.request('proceedings:object', { adoptionId: 'a1', delegation: 'MMR' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await adviserIdn.request('proceedings:object', { adoptionId: 'a1', delegation: 'IDN' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await indonesia.request('proceedings:object', {
        adoptionId: 'a1',
        delegation: 'IDN',
        reason: 'paragraph 3',
      }),
    ).toMatchObject({ ok: true });
    await expect
      .poll(() => latest(chair)?.adoptions[0]?.objections.map((o) => o.delegation))
      .toEqual(['IDN']);
    expect(await indonesia.request('proceedings:withdrawAdoption', { adoptionId: 'a1' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await chair.request('proceedings:withdrawAdoption', { adoptionId: 'a1' })).toMatchObject({
      ok: true,
    });
  });

  it('runs a roll-call vote that only the chair closes', async () => {
    expect(
      await chair.request('proceedings:callVote', {
        question: 'Adopt REC.1 version 2?',
        documentId: 'd1',
        version: 2,
        majority: 'simple',
      }),
    ).toMatchObject({ ok: true });
    expect(
      await indonesia.request('proceedings:castBallot', { voteId: 'v1', delegation: 'IDN', choice: 'yes' }),
    ).toMatchObject({ ok: true });
    expect(
      await chair.request('proceedings:castBallot', { voteId: 'v1', delegation: 'VNM', choice: 'yes' }),
    ).toMatchObject({ ok: true });
    expect(
      await indonesia.request('proceedings:castBallot', { voteId: 'v1', delegation: 'MMR', choice: 'no' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await indonesia.request('proceedings:closeVote', { voteId: 'v1' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await adviserIdn.request('proceedings:closeVote', { voteId: 'v1' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await chair.request('proceedings:closeVote', { voteId: 'v1' })).toMatchObject({ ok: true });
    // VNM and IDN are connected: 2 of 11, no quorum.
    await expect
      .poll(() => latest(indonesia)?.votes[0]?.tally)
      .toMatchObject({ yes: 2, present: 2, quorate: false, carried: false });
  });

  it('refuses malformed requests with a typed error', async () => {
    expect(
      await chair.request('proceedings:callVote', { question: '', majority: 'most' } as never),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
  });
});

describe('the record of the meeting', () => {
  it('is the secretariat’s and the chair’s, as JSON and printable HTML, and tells what happened', async () => {
    const idnToken = await server.invite({
      role: 'head_of_delegation',
      delegation: 'IDN',
      sessions: ['som'],
    });
    expect(
      (await fetch(`${base()}/record`, { headers: { authorization: `Bearer ${idnToken}` } })).status,
    ).toBe(403);
    const res = await fetch(`${base()}/record`, { headers: { authorization: `Bearer ${secretariatToken}` } });
    expect(res.status).toBe(200);
    const { record } = (await res.json()) as { record: MeetingRecord };
    const texts = record.items.map((i) => i.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Document ACC/2020/REC.1 "Recommendations of the working group" is tabled (en).',
        'Version 2 of ACC/2020/REC.1 is circulated (en).',
        'Indonesia objects: "paragraph 3"',
        'The chair withdraws ACC/2020/REC.1 version 1.',
        'Indonesia votes yes.',
      ]),
    );
    expect(texts.at(-1)).toMatch(/^Vote on "Adopt REC.1 version 2\?": 2 yes, 0 no/);
    expect(record.attendance.find((a) => a.delegation === 'IDN')?.periods).toHaveLength(1);
    const html = await fetch(`${base()}/record.html`, { headers: { authorization: `Bearer ${chairToken}` } });
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    expect(page).toContain('<h1>Record of the meeting</h1>');
    expect(page).toContain('Indonesia objects: &quot;paragraph 3&quot;');
  });
});
