import { useEffect, useRef } from 'react';

/** The chair's frequent actions, one key each. */
export type ChairShortcut = 'giveNext' | 'takeBack' | 'timer' | 'tour';

export const chairKeys: Readonly<Record<ChairShortcut, string>> = {
  giveNext: 'N',
  takeBack: 'B',
  timer: 'P',
  tour: 'T',
};

export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  target: EventTarget | null;
}

function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element || typeof element.tagName !== 'string') return false;
  return ['INPUT', 'SELECT', 'TEXTAREA'].includes(element.tagName) || element.isContentEditable === true;
}

/** A single letter, no modifier, not while typing in a field. */
export function shortcutOf(event: KeyLike): ChairShortcut | null {
  if (event.altKey || event.ctrlKey || event.metaKey || typingIn(event.target)) return null;
  const key = event.key.toUpperCase();
  for (const [shortcut, letter] of Object.entries(chairKeys)) {
    if (letter === key) return shortcut as ChairShortcut;
  }
  return null;
}

export type ReorderKey = 'up' | 'down' | 'remove';

/** On a focused request of the speakers list: Alt+Up, Alt+Down, Delete. */
export function reorderKeyOf(
  event: Pick<KeyLike, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>,
): ReorderKey | null {
  if (event.ctrlKey || event.metaKey) return null;
  if (event.altKey && event.key === 'ArrowUp') return 'up';
  if (event.altKey && event.key === 'ArrowDown') return 'down';
  if (!event.altKey && event.key === 'Delete') return 'remove';
  return null;
}

/** Listens for the chair's shortcuts on the whole page while the console is open. */
export function useChairShortcuts(actions: Record<ChairShortcut, () => void>): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat) return;
      const shortcut = shortcutOf(event);
      if (!shortcut) return;
      event.preventDefault();
      latest.current[shortcut]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
