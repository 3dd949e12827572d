import { describe, expect, it } from 'vitest';
import { seatsOf, stageOf } from '../src/features/gallery/seats.js';
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

describe('stage', () => {
  it('shows the floor holder large and the chair beside', () => {
    const live = fromSnapshot(
      snapshot({ state: state(2, { current: intervention({ delegation: 'IDN' }) }) }),
    );
    const stage = stageOf(seatsOf(live));
    expect(stage.main?.delegation.code).toBe('IDN');
    expect(stage.beside.map((s) => s.delegation.code)).toEqual(['VNM']);
  });

  it('shows the chair large while nobody holds the floor, the co-chair beside', () => {
    const base = snapshot();
    const live = fromSnapshot({ ...base, session: { ...base.session, chairs: ['MYS', 'VNM'] } });
    const stage = stageOf(seatsOf(live));
    expect(stage.main?.delegation.code).toBe('MYS');
    expect(stage.beside.map((s) => s.delegation.code)).toEqual(['VNM']);
  });
});
