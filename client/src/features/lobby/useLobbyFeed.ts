import { can, type Role } from '@summit-bridge/protocol';
import { useEffect, useMemo } from 'react';
import type { SessionController } from '../session/SessionController.js';
import { LobbyFeed } from './LobbyFeed.js';

/** The lobby's waiting list for a role that may see it, for as long as the room lives; else null. */
export function useLobbyFeed(controller: SessionController, role: Role | undefined): LobbyFeed | null {
  const sees = role !== undefined && can(role, 'lobby.read');
  const feed = useMemo(() => (sees ? new LobbyFeed(controller) : null), [controller, sees]);
  useEffect(() => () => feed?.close(), [feed]);
  return feed;
}
