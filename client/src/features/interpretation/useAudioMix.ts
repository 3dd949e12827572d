import { Store, useStore } from '../../shared/store.js';
import type { LiveSession } from '../session/sessionReducer.js';
import type { DeskState, InterpretationDesk } from './InterpretationDesk.js';
import { floorLanguage, type Hearing, volumeOf } from './mix.js';

const full = () => 1;
// For hooks' sake, a store to read when there is no desk.
const noDesk = new Store<DeskState>({ channel: 'floor', floorLevel: 1, messages: [], levels: {} });

/** Each received voice's volume for this participant, by producer id. */
export function useAudioMix(
  live: LiveSession,
  desk: InterpretationDesk | null,
): (producerId: string) => number {
  const choice = useStore(desk?.store ?? noDesk);
  if (!desk || !live.session.interpretation) return full;
  const booth = live.you.booth ? live.state.booths[live.you.booth] : undefined;
  const hearing: Hearing = booth
    ? { kind: 'interpreter', input: booth.input }
    : { kind: 'listener', channel: choice.channel, floorLevel: choice.floorLevel };
  const spoken = floorLanguage(live.state, live.delegations, live.session);
  const byId = new Map(live.producers.map((p) => [p.producerId, p]));
  return (producerId) => {
    const producer = byId.get(producerId);
    return producer ? volumeOf(producer, hearing, spoken) : 1;
  };
}
