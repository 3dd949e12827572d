import { describe, expect, it } from 'vitest';
import { presentationOf, seatsOf, stageOf } from '../src/features/gallery/seats.js';
import { fromSnapshot } from '../src/features/session/sessionReducer.js';
import { delegations, intervention, participant, producer, snapshot, state } from './fixtures.js';

describe('seats', () => {
  it('follows the server’s order and never sorts it again', () => {
    const shuffled = [delegations[3], delegations[0], delegations[10]].filter((d) => d !== undefined);
    const seats = seatsOf(fromSnapshot(snapshot({ delegations: shuffled })));
    expect(seats.map((s) => s.delegation.code)).toEqual(['LAO', 'BRN', 'ASEC']);
  });

  it('shows every delegation, the absent ones as empty seats', () => {
    const seats = seatsOf(fromSnapshot(snapshot()));
    expect(seats).toHaveLength(11);
    expect(seats.filter((s) => s.connected).map((s) => s.delegation.code)).toEqual(['KHM', 'IDN', 'VNM']);
  });

  it('puts the head of delegation’s camera in the seat when several members send one', () => {
    const live = fromSnapshot(
      snapshot({
        presence: {
          observers: 0,
          participants: [
            participant('hod-khm', 'KHM', 'head_of_delegation'),
            participant('adv-khm', 'KHM', 'delegate'),
          ],
        },
        producers: [producer('hod-cam', 'hod-khm', 'KHM'), producer('adv-cam', 'adv-khm', 'KHM')],
      }),
    );
    expect(seatsOf(live).find((s) => s.delegation.code === 'KHM')?.camera?.producerId).toBe('hod-cam');
  });

  it('marks the floor holder, the chair, the muted and the speaking', () => {
    const live = {
      ...fromSnapshot(
        snapshot({ state: state(3, { current: intervention({ delegation: 'IDN' }), muted: ['KHM'] }) }),
      ),
      activeSpeaker: 'IDN',
    };
    const seat = (code: string) => seatsOf(live).find((s) => s.delegation.code === code);
    expect(seat('IDN')).toMatchObject({ holdsFloor: true, speaking: true, chairs: false });
    expect(seat('VNM')).toMatchObject({ holdsFloor: false, chairs: true });
    expect(seat('KHM')).toMatchObject({ mutedByChair: true });
  });
});

describe('a seat’s microphone', () => {
  const micOf = (live: ReturnType<typeof fromSnapshot>, code: string) =>
    seatsOf(live).find((s) => s.delegation.code === code)?.micState;
  const present = {
    observers: 0,
    participants: [
      participant('hod-khm', 'KHM', 'head_of_delegation'),
      participant('chair-vnm', 'VNM', 'chair'),
      participant('obs-idn', 'IDN', 'observer'),
    ],
  };

  it('says joining, not "no microphone", while a seat that can speak sends nothing yet', () => {
    const live = fromSnapshot(snapshot({ presence: present, producers: [] }));
    expect(micOf(live, 'KHM')).toBe('joining');
    expect(micOf(live, 'IDN')).toBe('none'); // an observer sends nothing, ever
    const withCamera = fromSnapshot(
      snapshot({ presence: present, producers: [producer('cam-khm', 'hod-khm', 'KHM')] }),
    );
    expect(micOf(withCamera, 'KHM')).toBe('none');
  });

  it('tells a microphone closed by floor policy from one its delegation turned off', () => {
    const producers = [
      producer('mic-khm', 'hod-khm', 'KHM', 'mic', true),
      producer('mic-vnm', 'chair-vnm', 'VNM', 'mic', true),
    ];
    const floorMode = fromSnapshot(snapshot({ presence: present, producers }));
    expect(micOf(floorMode, 'KHM')).toBe('closedByFloor');
    expect(micOf(floorMode, 'VNM')).toBe('off'); // the chair is always heard: only itself turns it off
    const holding = fromSnapshot(
      snapshot({
        presence: present,
        producers,
        state: state(2, { current: intervention({ delegation: 'KHM' }) }),
      }),
    );
    expect(micOf(holding, 'KHM')).toBe('off');
    const open = fromSnapshot(
      snapshot({ presence: present, producers, state: state(2, { micPolicy: 'open' }) }),
    );
    expect(micOf(open, 'KHM')).toBe('off');
    const muted = fromSnapshot(
      snapshot({ presence: present, producers, state: state(2, { muted: ['KHM'] }) }),
    );
    expect(micOf(muted, 'KHM')).toBe('mutedByChair');
    const live = fromSnapshot(
      snapshot({ presence: present, producers: [producer('mic-khm', 'hod-khm', 'KHM', 'mic', false)] }),
    );
    expect(micOf(live, 'KHM')).toBe('on');
  });
});

describe('stage', () => {
  it('shows the floor holder large and the chair beside', () => {
    const live = fromSnapshot(
      snapshot({ state: state(2, { current: intervention({ delegation: 'IDN' }) }) }),
    );
    const stage = stageOf(seatsOf(live));
    expect(stage.main?.delegation.code).toBe('IDN');
    expect(stage.beside.map((s) => s.delegation.code)).toEqual(['VNM']);
  });

  it('shows a shared screen large, the presenter beside it, then the floor holder and the chair', () => {
    const live = fromSnapshot(
      snapshot({
        state: state(3, { current: intervention({ delegation: 'IDN' }), presenters: ['KHM'] }),
        producers: [producer('cam-khm', 'hod-khm', 'KHM'), producer('slides', 'hod-khm', 'KHM', 'screen')],
      }),
    );
    const seats = seatsOf(live);
    const stage = stageOf(seats, presentationOf(live));
    expect(stage.presentation?.producerId).toBe('slides');
    expect(stage.main).toBeNull();
    expect(stage.beside.map((s) => s.delegation.code)).toEqual(['KHM', 'IDN', 'VNM']);
    // The gallery says who presents; a screen is never taken for the seat's camera.
    const cambodia = seats.find((s) => s.delegation.code === 'KHM');
    expect(cambodia).toMatchObject({ presenting: true, camera: { producerId: 'cam-khm' } });
    expect(seats.filter((s) => s.presenting)).toHaveLength(1);
  });

  it('lists the floor holder presenting once beside its screen', () => {
    const live = fromSnapshot(
      snapshot({
        state: state(3, { current: intervention({ delegation: 'IDN' }) }),
        producers: [
          producer('slides', 'hod-idn', 'IDN', 'screen'),
          producer('sound', 'hod-idn', 'IDN', 'screenAudio'),
        ],
      }),
    );
    const stage = stageOf(seatsOf(live), presentationOf(live));
    expect(stage.presentation?.producerId).toBe('slides');
    expect(stage.beside.map((s) => s.delegation.code)).toEqual(['IDN', 'VNM']);
  });

  it('shows the chair large while nobody holds the floor, the co-chair beside', () => {
    const base = snapshot();
    const live = fromSnapshot({ ...base, session: { ...base.session, chairs: ['MYS', 'VNM'] } });
    const stage = stageOf(seatsOf(live));
    expect(stage.main?.delegation.code).toBe('MYS');
    expect(stage.beside.map((s) => s.delegation.code)).toEqual(['VNM']);
  });
});
