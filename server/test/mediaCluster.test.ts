// The media cluster, all real on one machine: Redis, two signaling instances and media node
// processes on their own loopback addresses (127.0.0.1-3 as three hosts), Node WebRTC peers.
// Participants on either instance hear each other; a session spans nodes through pipes; a node or
// an instance killed with -9 costs media for a moment, never the floor; nodes drain; the control
// channel refuses strangers and malformed messages.
import type { RecordingSummary, SessionState } from '@summit-bridge/protocol';
import { handshakeFor, RemoteMediaNode } from '@summit-bridge/sfu';
import type { AppProcess } from '@summit-bridge/testkit/app-process';
import { ClusterParticipant } from '@summit-bridge/testkit/cluster-participant';
import { ClusterRig, rigSecrets } from '@summit-bridge/testkit/cluster-rig';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoSummit } from '../src/demo/index.js';
import { createLogger } from '../src/log.js';

// Several processes per step on two shared cores: give each step time.
vi.setConfig({ testTimeout: 120_000 });

const sessionId = 'asean-australia';
let rig: ClusterRig;
let one: AppProcess;
let two: AppProcess;
const people: ClusterParticipant[] = [];
let chair: ClusterParticipant;
let indonesia: ClusterParticipant; // on instance one
let singapore: ClusterParticipant; // on instance two
let australia: ClusterParticipant; // on instance two, region oceania

async function join(name: string, app: AppProcess, role: string, delegation: string) {
  const token = await rig.invite(app, { name, role, delegation, sessions: [sessionId] });
  const person = await ClusterParticipant.join(name, app.url, token, sessionId);
  people.push(person);
  return person;
}

const stateOf = async (p: ClusterParticipant): Promise<SessionState> => {
  const snapshot = await p.client.request('session:snapshot');
  if (!snapshot.ok) throw new Error(snapshot.error.message);
  return snapshot.state;
};

const micOf = (producers: { producerId: string; delegation: string | null }[], delegation: string) =>
  producers.filter((p) => p.delegation === delegation).map((p) => p.producerId);

beforeAll(async () => {
  rig = await ClusterRig.start({ instanceEnv: { MEDIA_SESSION_CONSUMERS_PER_NODE: '4' } });
  await Promise.all([
    rig.startNode({ id: 'n1', ip: '127.0.0.1' }),
    rig.startNode({ id: 'n2', ip: '127.0.0.2' }),
  ]);
  [one, two] = await Promise.all([rig.startInstance(), rig.startInstance()]);
  const doc = demoSummit();
  for (const d of doc.delegations) if (d.code === 'AUS') d.region = 'oceania';
  expect((await rig.admin(one, 'POST', '/summits', doc)).status).toBe(201);
  chair = await join('Co-chair', one, 'co_chair', 'MYS');
  expect(await chair.client.request('session:setStatus', { status: 'open' })).toMatchObject({ ok: true });
  expect(await chair.client.request('floor:setMicPolicy', { policy: 'open' })).toMatchObject({ ok: true });
}, 120_000);

afterAll(async () => {
  await Promise.all(people.map((p) => p.close()));
  await rig?.stop();
}, 60_000);

describe('a session on a media cluster', () => {
  it('lets a participant on one instance and one on the other hear each other', async () => {
    indonesia = await join('Indonesia', one, 'head_of_delegation', 'IDN');
    singapore = await join('Singapore', two, 'head_of_delegation', 'SGP');
    const idnMic = await indonesia.publish();
    const sgpMic = await singapore.publish();
    // Instance two lists a producer made through instance one, and consumes it.
    const snapshot = await singapore.client.request('session:snapshot');
    expect(snapshot.ok && snapshot.producers.map((p) => p.producerId)).toContain(idnMic);
    await singapore.listen(idnMic);
    await indonesia.listen(sgpMic);
    await expect.poll(() => singapore.hears(idnMic), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => indonesia.hears(sgpMic), { timeout: 15_000 }).toBe(true);
  });

  it('sends a region’s delegation to its own node, the producer piped there across hosts', async () => {
    await rig.startNode({ id: 'n3', ip: '127.0.0.3', region: 'oceania' });
    await expect.poll(async () => (await rig.nodeRecord('n3'))?.state).toBe('SERVING');
    // The instances learn of the new node within a second or so; until then a receive transport
    // goes elsewhere, and stays there: each try is a new connection, as a reload would be.
    await expect
      .poll(
        async () => {
          const candidate = await join('Co-chair Australia', two, 'co_chair', 'AUS');
          await candidate.listen(indonesia.mic ?? '');
          if (candidate.recvAddress === '127.0.0.3') {
            australia = candidate;
            return true;
          }
          people.splice(people.indexOf(candidate), 1);
          await candidate.close();
          return false;
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBe(true);
    const home = await rig.home('asean-2020', sessionId);
    expect(home).not.toBe('n3');
    await expect.poll(() => australia.hears(indonesia.mic ?? ''), { timeout: 15_000 }).toBe(true);
  });

  it('spans another node once the home node is past its share of the session', async () => {
    const home = (await rig.home('asean-2020', sessionId)) ?? '';
    const homeAddress = home === 'n1' ? '127.0.0.1' : '127.0.0.2';
    const extra = [await join('Philippines', one, 'head_of_delegation', 'PHL')];
    extra.push(await join('Thailand', two, 'head_of_delegation', 'THA'));
    for (const p of extra) await p.listen(indonesia.mic ?? '');
    for (const p of extra) await p.listen(singapore.mic ?? '');
    // The home's record counts the session's consumers there: at least the threshold of 4.
    await expect
      .poll(async () => (await rig.nodeRecord(home))?.load.sessions[`asean-2020/${sessionId}`] ?? 0)
      .toBeGreaterThanOrEqual(4);
    const cambodia = await join('Cambodia', one, 'head_of_delegation', 'KHM');
    await cambodia.listen(indonesia.mic ?? '');
    expect(cambodia.recvAddress).not.toBe(homeAddress);
    await expect.poll(() => cambodia.hears(indonesia.mic ?? ''), { timeout: 15_000 }).toBe(true);
  });

  it('carries an interpretation channel across instances and nodes, forwarded only while on air', async () => {
    const token = await rig.invite(one, {
      name: 'Interpreter VI',
      role: 'interpreter',
      delegation: null,
      sessions: [sessionId],
      booth: 'vi',
    });
    const interpreter = await ClusterParticipant.join(
      'Interpreter VI',
      one.url,
      token,
      sessionId,
      'interpretation',
    );
    people.push(interpreter);
    const channel = await interpreter.publish();
    // What the SFU was told of the channel, as the other instance lists it (decoded frames cannot
    // show silence: a receiver conceals a gap with frames of its own).
    const paused = async () => {
      const snapshot = await australia.client.request('session:snapshot');
      return snapshot.ok ? snapshot.producers.find((p) => p.producerId === channel)?.paused : undefined;
    };
    // Australia, on the other instance and on its own node, listens in Vietnamese.
    expect(await australia.client.request('interpretation:listen', { channel: 'vi' })).toMatchObject({
      ok: true,
    });
    await australia.listen(channel);
    // And what left the node Australia receives from, byte by byte.
    const record = await rig.nodeRecord('n3');
    const n3 = new RemoteMediaNode({
      nodeId: 'n3',
      controlUrl: record?.controlUrl ?? '',
      secret: rigSecrets.nodeSecret,
      instanceId: 'media-cluster-test',
      log: createLogger('error'),
    });
    await n3.ready();
    const flowing = async () => {
      const peer = { sessionId: `asean-2020/${sessionId}`, peerId: australia.client.socket.id ?? '' };
      const consumerId = australia.listening.get(channel) ?? '';
      const bytes = async () => (await n3.consumerStats(peer, consumerId)).stream?.byteCount ?? 0;
      const before = await bytes();
      await new Promise((r) => setTimeout(r, 1000));
      return (await bytes()) > before + 500;
    };
    try {
      expect(australia.recvAddress).toBe('127.0.0.3');
      expect(await paused()).toBe(true);
      expect(await flowing()).toBe(false);
      expect(await interpreter.client.request('booth:takeOver')).toMatchObject({ ok: true });
      await expect.poll(paused, { timeout: 15_000 }).toBe(false);
      await expect.poll(flowing, { timeout: 15_000 }).toBe(true);
      expect(await interpreter.client.request('booth:cough', { on: true })).toMatchObject({ ok: true });
      await expect.poll(paused, { timeout: 15_000 }).toBe(true);
      await expect.poll(flowing, { timeout: 15_000 }).toBe(false);
      expect(await interpreter.client.request('booth:cough', { on: false })).toMatchObject({ ok: true });
      await expect.poll(flowing, { timeout: 15_000 }).toBe(true);
    } finally {
      await n3.close();
    }
  });

  it('ends a presentation held on one instance from the other: the chair’s stop, the allowance withdrawn', async () => {
    // Singapore presents (its sound) through instance two, allowed by the co-chair on instance one.
    const present = async () => {
      const token = await rig.invite(two, {
        name: 'Slides',
        role: 'delegate',
        delegation: 'SGP',
        sessions: [sessionId],
      });
      const slides = await ClusterParticipant.join(
        'Singapore slides',
        two.url,
        token,
        sessionId,
        'screenAudio',
      );
      const sound = await slides.publish();
      await indonesia.listen(sound);
      await expect.poll(() => indonesia.hears(sound), { timeout: 15_000 }).toBe(true);
      return { slides, sound };
    };
    const closedWhy = (p: ClusterParticipant, producerId: string) =>
      p.client.pushes('media:producerClosed').find((c) => c.producerId === producerId)?.reason;
    // Closed at the SFU: the node closed Indonesia's consumer of it (a silent track still plays
    // frames in the Node peer, so hearing nothing proves nothing).
    const consumerGone = (producerId: string) =>
      indonesia.client
        .pushes('media:consumerClosed')
        .some((c) => c.consumerId === indonesia.listening.get(producerId));
    expect(
      await chair.client.request('presentation:allow', { delegation: 'SGP', allowed: true }),
    ).toMatchObject({
      ok: true,
    });
    const first = await present();
    try {
      expect(await chair.client.request('presentation:stop', {})).toEqual({ ok: true, stopped: 1 });
      await expect.poll(() => closedWhy(indonesia, first.sound)).toBe('stoppedByChair');
      await expect.poll(() => closedWhy(first.slides, first.sound)).toBe('stoppedByChair');
      await expect.poll(() => consumerGone(first.sound)).toBe(true);
    } finally {
      await first.slides.close();
    }
    const second = await present();
    try {
      // Instance two applies a change made on instance one to its own connection's producer.
      expect(
        await chair.client.request('presentation:allow', { delegation: 'SGP', allowed: false }),
      ).toMatchObject({ ok: true });
      await expect.poll(() => closedWhy(indonesia, second.sound)).toBe('floorMoved');
      await expect.poll(() => consumerGone(second.sound)).toBe(true);
    } finally {
      await second.slides.close();
    }
  });

  it('survives kill -9 of a media node: its participants get media back, the others keep theirs, the floor stays', async () => {
    const before = await stateOf(chair);
    const onN3 = people.filter((p) => p.recvAddress === '127.0.0.3');
    expect(onN3.length).toBeGreaterThan(0);
    const elsewhere = [indonesia, singapore];
    rig.nodes.get('n3')?.signal('SIGKILL');
    for (const p of onN3)
      await expect
        .poll(() => p.client.pushes('media:reconnect').length, { timeout: 10_000 })
        .toBeGreaterThan(0);
    for (const p of elsewhere) expect(p.client.pushes('media:reconnect')).toEqual([]);
    expect(await indonesia.hears(singapore.mic ?? '')).toBe(true);
    for (const p of onN3) {
      await p.rebuild((producers) => micOf(producers, 'IDN'));
      await expect.poll(() => p.hears(indonesia.mic ?? ''), { timeout: 15_000 }).toBe(true);
    }
    expect(await stateOf(chair)).toEqual(before);
  });

  it('survives kill -9 of the home node: everyone rebuilds on the node that is left', async () => {
    const before = await stateOf(chair);
    const home = (await rig.home('asean-2020', sessionId)) ?? '';
    const oldMic = indonesia.mic;
    rig.nodes.get(home)?.signal('SIGKILL');
    for (const p of [indonesia, singapore])
      await expect
        .poll(() => p.client.pushes('media:reconnect').length, { timeout: 10_000 })
        .toBeGreaterThan(0);
    await expect
      .poll(() => singapore.client.pushes('media:producerClosed').map((p) => p.producerId))
      .toContain(oldMic);
    await indonesia.rebuild(() => []);
    await singapore.rebuild((producers) => micOf(producers, 'IDN'));
    await indonesia.listen(singapore.mic ?? '');
    await expect.poll(() => singapore.hears(indonesia.mic ?? ''), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => indonesia.hears(singapore.mic ?? ''), { timeout: 15_000 }).toBe(true);
    expect(await rig.home('asean-2020', sessionId)).not.toBe(home);
    expect(await stateOf(chair)).toEqual(before);
  });

  it('survives kill -9 of a signaling instance: its participants come back through the other', async () => {
    const oldMic = singapore.mic;
    await two.kill();
    await singapore.connect(one.url);
    await singapore.rebuild((producers) => micOf(producers, 'IDN'));
    await expect.poll(() => singapore.hears(indonesia.mic ?? ''), { timeout: 15_000 }).toBe(true);
    // The dead instance's producer goes (the node closes what nobody owns any more)…
    await expect
      .poll(() => indonesia.client.pushes('media:producerClosed').map((p) => p.producerId), {
        timeout: 15_000,
      })
      .toContain(oldMic);
    const snapshot = await indonesia.client.request('session:snapshot');
    expect(snapshot.ok && snapshot.producers.map((p) => p.producerId)).not.toContain(oldMic);
    // …and the new one is heard.
    await indonesia.listen(singapore.mic ?? '');
    await expect.poll(() => indonesia.hears(singapore.mic ?? ''), { timeout: 15_000 }).toBe(true);
  });
});

describe('media nodes', () => {
  it('refuse a control connection without the secret, and malformed control messages', async () => {
    const record = await rig.nodeRecord((await rig.home('asean-2020', sessionId)) ?? '');
    if (!record) throw new Error('no live node record');
    const refused = io(record.controlUrl, {
      transports: ['websocket'],
      reconnection: false,
      auth: handshakeFor('not the cluster secret at all, but long enough', 'intruder'),
    });
    const error = await new Promise<Error>((resolve) => refused.once('connect_error', resolve));
    refused.close();
    expect(error.message).toBe('unauthorized');

    const insider = io(record.controlUrl, {
      transports: ['websocket'],
      reconnection: false,
      auth: handshakeFor(rigSecrets.nodeSecret, 'a-test'),
    });
    await new Promise<void>((resolve) => insider.once('connect', () => resolve()));
    expect(await insider.emitWithAck('createTransport', ['not a peer', { direction: 'up' }])).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(await insider.emitWithAck('dropEverything', {})).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await insider.emitWithAck('workerUsage', [])).toMatchObject({ ok: true });
    insider.close();
  });

  // The home node drains (below) while these stay on it, and Thailand arrives on n5.
  let draining: { stop(): void; exited: Promise<number | null> } | undefined;
  let thailand: ClusterParticipant;

  it('drain: no new session goes to a draining node, which exits once empty; newcomers go elsewhere', async () => {
    const spare = await rig.startNode({ id: 'n4', ip: '127.0.0.4' });
    await expect.poll(async () => (await rig.nodeRecord('n4'))?.state).toBe('SERVING');
    spare.signal('SIGTERM');
    await expect.poll(async () => (await rig.nodeRecord('n4'))?.state ?? 'gone').not.toBe('SERVING');
    expect(await spare.exited).toBe(0);

    // A node for those who arrive while the session's home drains.
    await rig.startNode({ id: 'n5', ip: '127.0.0.5' });
    await expect.poll(async () => (await rig.nodeRecord('n5'))?.state).toBe('SERVING');
    const home = (await rig.home('asean-2020', sessionId)) ?? '';
    const busy = rig.nodes.get(home);
    if (!busy) throw new Error('no home node');
    draining = { stop: () => busy.signal('SIGTERM'), exited: busy.exited };
    const busyAddress = new URL((await rig.nodeRecord(home))?.controlUrl ?? '').hostname;
    busy.signal('SIGTERM');
    await expect.poll(async () => (await rig.nodeRecord(home))?.state).toBe('DRAINING');
    // Draining with participants: it stays, and their media goes on.
    expect(await indonesia.hears(singapore.mic ?? '')).toBe(true);
    // Someone joining now sends and receives elsewhere, and is heard by those on the draining node.
    thailand = await join('Thailand', one, 'head_of_delegation', 'THA');
    const thaMic = await thailand.publish();
    await thailand.listen(indonesia.mic ?? '');
    await indonesia.listen(thaMic);
    expect([thailand.sendAddress, thailand.recvAddress]).toEqual(['127.0.0.5', '127.0.0.5']);
    expect(busyAddress).not.toBe('127.0.0.5');
    await expect.poll(() => indonesia.hears(thaMic), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => thailand.hears(indonesia.mic ?? ''), { timeout: 15_000 }).toBe(true);
  });

  it('records a session whose producers live on two nodes and two instances, into one file', async () => {
    // Instance two is gone (killed above): a third one, and Brunei speaking through it.
    const three = await rig.startInstance();
    const brunei = await join('Brunei', three, 'head_of_delegation', 'BRN');
    await brunei.publish();
    const started = await chair.client.request('recording:start', {});
    if (!started.ok) throw new Error(started.error.message);
    const listed = async () => {
      const res = await rig.admin(three, 'GET', `/summits/asean-2020/sessions/${sessionId}/recordings`);
      return ((await res.json()) as { recordings: RecordingSummary[] }).recordings[0];
    };
    // Each node starts its recorders (FFmpeg) on its own time, slower under load: three seconds
    // of recording from when all four microphones' recorders are running.
    const floorTracks = async () => (await listed())?.tracks.filter((t) => t.source === 'floor').length;
    await expect.poll(floorTracks, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await chair.client.request('recording:stop', {})).toMatchObject({ ok: true });
    await expect
      .poll(async () => (await listed())?.composed ?? (await listed())?.composeError, { timeout: 60_000 })
      .toBe('session.webm');
    const recording = await listed();
    expect(recording?.id).toBe(started.recordingId);
    // Indonesia's and Singapore's microphones on the draining home node (instance one), Thailand's
    // on n5 (instance one), Brunei's on n5 (instance three): each recorded where it lives.
    for (const delegation of ['IDN', 'SGP', 'THA', 'BRN']) {
      const track = recording?.tracks.find((t) => t.source === 'floor' && t.delegation === delegation);
      expect(track?.segments[0]?.packets ?? 0).toBeGreaterThan(50);
    }
    expect([thailand.sendAddress, brunei.sendAddress]).toEqual(['127.0.0.5', '127.0.0.5']);
    expect(indonesia.sendAddress).not.toBe('127.0.0.5');
  });

  it('a second signal stops a draining node at once', async () => {
    draining?.stop();
    expect(await draining?.exited).toBe(0);
  });
});
