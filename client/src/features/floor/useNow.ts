import { useEffect, useState } from 'react';

/** Server time, re-read a few times a second while `ticking`: the countdown is computed, not pushed. */
export function useNow(now: () => number, ticking: boolean, everyMs = 250): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    setTime(now());
    if (!ticking) return;
    const timer = setInterval(() => setTime(now()), everyMs);
    return () => clearInterval(timer);
  }, [now, ticking, everyMs]);
  return time;
}
