// Placement, the one place that decides where a session's media goes: which host is its home and
// which host a new transport goes to. "Hosts" are workers inside a media node and media nodes
// inside a cluster; both follow the same rules (LiveKit's room allocator is the model). Pure.

/** A host that may be chosen: only healthy, serving hosts under their limits are candidates. */
export interface Candidate {
  id: string;
  /** Comparable load (consumers, CPU…): the least loaded is chosen among equals. */
  load: number;
  region?: string | undefined;
}

export interface Spread {
  /** Where the session's send transports and producers live. */
  home: string;
  /** Hosts the session already uses, with its consumers on each (home included). */
  used: ReadonlyMap<string, number>;
  /** Session consumers on one host past which receive transports go to another. */
  threshold: number;
}

const byLoad = (a: Candidate, b: Candidate) => a.load - b.load || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * A session's home: the one it has while that host stays a candidate (sticky: moving it would
 * disconnect everyone), else the least loaded candidate; null when there is none.
 */
export function chooseHome(current: string | null, candidates: readonly Candidate[]): string | null {
  if (current !== null && candidates.some((c) => c.id === current)) return current;
  return [...candidates].sort(byLoad)[0]?.id ?? null;
}

/**
 * The host of a new transport. Send transports live at home, beside the session's producers;
 * while home is no candidate (draining, silent, full), on the least loaded candidate the session
 * uses, else on the least loaded candidate, whose producers are piped like any other. A receive transport goes, in order: to a host in the participant's region (one the session
 * already uses first), so a region shares one incoming pipe per producer; to a used host below
 * the threshold, home first; to the least loaded host the session does not use yet; to the used
 * host with the fewest of the session's consumers.
 */
export function hostForTransport(
  direction: 'send' | 'recv',
  spread: Spread,
  candidates: readonly Candidate[],
  region?: string,
): string {
  if (direction === 'send') {
    if (candidates.some((c) => c.id === spread.home)) return spread.home;
    const sorted = [...candidates].sort(byLoad);
    return (sorted.find((c) => spread.used.has(c.id)) ?? sorted[0])?.id ?? spread.home;
  }
  const consumersOn = (id: string) => spread.used.get(id) ?? 0;
  const roomy = (c: Candidate) => consumersOn(c.id) < spread.threshold;
  if (region !== undefined) {
    const local = candidates.filter((c) => c.region === region && roomy(c));
    const mine = local.filter((c) => spread.used.has(c.id)).sort(byLoad)[0];
    const chosen = mine ?? [...local].sort(byLoad)[0];
    if (chosen) return chosen.id;
  }
  const usedOrder = [spread.home, ...[...spread.used.keys()].filter((id) => id !== spread.home)];
  const open = usedOrder.find(
    (id) => consumersOn(id) < spread.threshold && candidates.some((c) => c.id === id),
  );
  if (open !== undefined) return open;
  const fresh = candidates.filter((c) => !spread.used.has(c.id)).sort(byLoad)[0];
  if (fresh) return fresh.id;
  const leastFull = usedOrder
    .filter((id) => candidates.some((c) => c.id === id))
    .sort((a, b) => consumersOn(a) - consumersOn(b))[0];
  return leastFull ?? spread.home;
}
