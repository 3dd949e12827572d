import { describe, expect, it } from 'vitest';
import { type KeyLike, reorderKeyOf, shortcutOf } from '../src/features/chair/shortcuts.js';

const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  target: null,
  ...extra,
});

describe('chair shortcuts', () => {
  it('maps single letters to the frequent actions', () => {
    expect(shortcutOf(key('n'))).toBe('giveNext');
    expect(shortcutOf(key('N'))).toBe('giveNext');
    expect(shortcutOf(key('b'))).toBe('takeBack');
    expect(shortcutOf(key('p'))).toBe('timer');
    expect(shortcutOf(key('t'))).toBe('tour');
    expect(shortcutOf(key('x'))).toBeNull();
  });

  it('stays out of the way of typing and of the browser’s own shortcuts', () => {
    expect(shortcutOf(key('n', { target: { tagName: 'INPUT' } as unknown as EventTarget }))).toBeNull();
    expect(
      shortcutOf(key('n', { target: { tagName: 'DIV', isContentEditable: true } as unknown as EventTarget })),
    ).toBeNull();
    expect(shortcutOf(key('n', { target: { tagName: 'BUTTON' } as unknown as EventTarget }))).toBe(
      'giveNext',
    );
    expect(shortcutOf(key('n', { ctrlKey: true }))).toBeNull();
    expect(shortcutOf(key('t', { metaKey: true }))).toBeNull();
    expect(shortcutOf(key('p', { altKey: true }))).toBeNull();
  });

  it('moves and removes the focused request', () => {
    expect(reorderKeyOf(key('ArrowUp', { altKey: true }))).toBe('up');
    expect(reorderKeyOf(key('ArrowDown', { altKey: true }))).toBe('down');
    expect(reorderKeyOf(key('ArrowDown'))).toBeNull();
    expect(reorderKeyOf(key('Delete'))).toBe('remove');
    expect(reorderKeyOf(key('ArrowUp', { altKey: true, ctrlKey: true }))).toBeNull();
  });
});
