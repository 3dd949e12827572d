import {
  type Delegation,
  type FloorState,
  type Intervention,
  kindOfSource,
  type PresentParticipant,
  type ProducerInfo,
  type RecordingSummary,
  type SessionState,
  type Snapshot,
} from '@summit-bridge/protocol';

// The SOM of the demo summit: ten members in ASEAN order, then the Secretariat; Viet Nam chairs.
const members: [string, string, string, string][] = [
  ['BRN', 'BN', 'Brunei Darussalam', 'Bru-nây Đa-rút-xa-lam'],
  ['KHM', 'KH', 'Cambodia', 'Campuchia'],
  ['IDN', 'ID', 'Indonesia', 'In-đô-nê-xi-a'],
  ['LAO', 'LA', 'Lao PDR', 'Lào'],
  ['MYS', 'MY', 'Malaysia', 'Ma-lai-xi-a'],
  ['MMR', 'MM', 'Myanmar', 'Mi-an-ma'],
  ['PHL', 'PH', 'Philippines', 'Phi-líp-pin'],
  ['SGP', 'SG', 'Singapore', 'Xinh-ga-po'],
  ['THA', 'TH', 'Thailand', 'Thái Lan'],
  ['VNM', 'VN', 'Viet Nam', 'Việt Nam'],
];

export const delegations: Delegation[] = [
  ...members.map(([code, flag, en, vi], i) => ({
    code,
    flag,
    name: { en, vi },
    kind: 'member' as const,
    precedence: i * 10,
  })),
  {
    code: 'ASEC',
    name: { en: 'ASEAN Secretariat', vi: 'Ban Thư ký ASEAN' },
    kind: 'secretariat',
    precedence: 100,
  },
];

export function floor(overrides: Partial<FloorState> = {}): FloorState {
  return {
    micPolicy: 'floor',
    speakersList: [],
    current: null,
    defaultLimitMs: 180_000,
    warningMs: 30_000,
    speakingTimeMs: {},
    tour: null,
    muted: [],
    presenters: [],
    ...overrides,
  };
}

export function state(version: number, floorOverrides: Partial<FloorState> = {}): SessionState {
  return {
    sessionId: 'som',
    version,
    status: 'open',
    floor: floor(floorOverrides),
    booths: {},
    recording: null,
  };
}

export function intervention(overrides: Partial<Intervention> = {}): Intervention {
  return {
    delegation: 'KHM',
    kind: 'speak',
    startedAt: 1_000_000,
    limitMs: 180_000,
    pausedAt: null,
    pausedMs: 0,
    warned: false,
    overran: false,
    ...overrides,
  };
}

export function participant(id: string, delegation: string | null, role: PresentParticipant['role']) {
  return { participantId: id, name: id, role, delegation } satisfies PresentParticipant;
}

export function producer(
  producerId: string,
  participantId: string,
  delegation: string | null,
  source: ProducerInfo['source'] = 'camera',
  paused = false,
): ProducerInfo {
  return {
    producerId,
    participantId,
    delegation,
    kind: kindOfSource[source],
    source,
    paused,
  };
}

export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    summit: { id: 'asean-2020', title: { en: 'Special ASEAN Summit' }, hostTimeZone: 'Asia/Ho_Chi_Minh' },
    session: {
      id: 'som',
      kind: 'senior_officials',
      title: { en: "Senior Officials' Meeting", vi: 'Hội nghị Quan chức cấp cao' },
      schedule: {
        start: '2020-04-09T09:00:00+07:00',
        end: '2020-04-09T11:30:00+07:00',
        timeZone: 'Asia/Ho_Chi_Minh',
      },
      delegations: delegations.map((d) => d.code),
      chairs: ['VNM'],
      status: 'open',
    },
    delegations,
    state: state(1),
    presence: {
      observers: 0,
      participants: [
        participant('chair-vnm', 'VNM', 'chair'),
        participant('hod-khm', 'KHM', 'head_of_delegation'),
        participant('hod-idn', 'IDN', 'head_of_delegation'),
      ],
    },
    producers: [],
    you: {
      participantId: 'hod-khm',
      name: 'Head of delegation of Cambodia',
      role: 'head_of_delegation',
      delegation: 'KHM',
    },
    serverTime: 1_000_000,
    ...overrides,
  };
}

/** A recording of a minute, stopped as asked; not composed unless said. */
export function recordingSummary(overrides: Partial<RecordingSummary> = {}): RecordingSummary {
  return {
    id: 'r1a2b3c4d',
    startedAt: 1_000_000,
    stoppedAt: 1_060_000,
    stopReason: 'requested',
    tracks: [],
    composed: null,
    composeError: null,
    ...overrides,
  };
}
