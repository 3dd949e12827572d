import { z } from 'zod';

export const roles = [
  'chair',
  'co_chair',
  'head_of_delegation',
  'delegate',
  'secretariat',
  'technician',
  'interpreter',
  'observer',
] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/** Everything a participant may attempt; each client request names exactly one action. */
export const actions = [
  'session.join',
  'session.control',
  'floor.request',
  'floor.withdraw',
  'floor.pass',
  'floor.give',
  'floor.takeBack',
  'floor.reorder',
  'floor.timer',
  'floor.tour',
  'floor.micPolicy',
  'floor.mute',
  /** Allow a delegation to present without the floor, stop a presentation. */
  'presentation.control',
  'media.publishAudio',
  'media.publishVideo',
  'media.consume',
  /** Pause, resume or close one's own producers (ownership checked by the server). */
  'media.manageOwn',
  'telemetry.report',
  'telemetry.read',
  'telemetry.act',
  'audit.read',
  /** See who waits in a session's lobby. */
  'lobby.read',
  /** Admit or refuse who waits. */
  'lobby.manage',
  /** Choose what one hears: the floor or an interpretation channel. */
  'interpretation.listen',
  /** Work in one's booth: take over, hand over, cough, choose the booth's input. */
  'interpretation.interpret',
  /** Short texts between boothmates and the technicians. */
  'interpretation.message',
  /** List and open the session's documents, and follow what is on screen. */
  'documents.read',
  /** Table documents, new versions and language versions. */
  'documents.manage',
  /** Put a document on every screen and scroll it. */
  'documents.present',
  /** Put a document to adoption, withdraw it. */
  'adoption.manage',
  /** Object to an adoption for one's own delegation. */
  'adoption.object',
  /** Call a roll-call vote, close it. */
  'vote.manage',
  /** Vote for one's own delegation. */
  'vote.cast',
  /** Read and export the record of the meeting; read the session's recordings. */
  'record.read',
  /** Start and stop the session's recording. */
  'recording.control',
] as const;
export type Action = (typeof actions)[number];

const chairing: Action[] = [
  'session.control',
  'floor.give',
  'floor.takeBack',
  'floor.reorder',
  'floor.timer',
  'floor.tour',
  'floor.micPolicy',
  'floor.mute',
  'presentation.control',
  'documents.manage',
  'documents.present',
  'adoption.manage',
  'vote.manage',
  'record.read',
  'recording.control',
];
/** A delegation's one voice: its head (a chair speaks for the chair's delegation too). */
const deciding: Action[] = ['adoption.object', 'vote.cast'];
const seat: Action[] = ['media.publishAudio', 'media.publishVideo'];
const everyone: Action[] = [
  'session.join',
  'media.consume',
  'media.manageOwn',
  'telemetry.report',
  'interpretation.listen',
  'documents.read',
];
const speaking: Action[] = ['floor.request', 'floor.withdraw', 'floor.pass'];

/**
 * The one permission table. The server enforces it before any handler runs; the client reads it
 * only to decide which controls to show.
 */
export const permissions: Readonly<Record<Role, ReadonlySet<Action>>> = {
  chair: new Set([...everyone, ...seat, ...chairing, ...deciding, 'lobby.read']),
  co_chair: new Set([...everyone, ...seat, ...chairing, ...deciding, 'lobby.read']),
  head_of_delegation: new Set([...everyone, ...seat, ...speaking, ...deciding]),
  delegate: new Set([...everyone, ...seat, ...speaking]),
  secretariat: new Set([
    ...everyone,
    'audit.read',
    'telemetry.read',
    'lobby.read',
    'lobby.manage',
    'documents.manage',
    'record.read',
    'recording.control',
  ]),
  technician: new Set([
    ...everyone,
    'telemetry.read',
    'telemetry.act',
    'audit.read',
    'lobby.read',
    'lobby.manage',
    'interpretation.message',
  ]),
  interpreter: new Set([
    ...everyone,
    'media.publishAudio',
    'interpretation.interpret',
    'interpretation.message',
  ]),
  observer: new Set(everyone),
};

export function can(role: Role, action: Action): boolean {
  return permissions[role].has(action);
}

/** Who goes straight into a session with a lobby: those who run it. */
export function bypassesLobby(role: Role): boolean {
  return (
    role === 'chair' ||
    role === 'co_chair' ||
    role === 'secretariat' ||
    role === 'technician' ||
    role === 'interpreter'
  );
}

export function isChairRole(role: Role): boolean {
  return role === 'chair' || role === 'co_chair';
}
