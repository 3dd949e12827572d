import { describe, expect, it } from 'vitest';
import { resources } from '../src/i18n/index.js';

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') result.set(path, value);
    else for (const [k, v] of leaves(value, path)) result.set(k, v);
  }
  return result;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const en = leaves(resources.en.translation);
const vi = leaves(resources.vi.translation);

describe('translations', () => {
  it('has every English key in Vietnamese, and no other', () => {
    expect([...en.keys()].filter((key) => !vi.has(key))).toEqual([]);
    expect([...vi.keys()].filter((key) => !en.has(key))).toEqual([]);
  });

  it('leaves no text empty', () => {
    for (const [language, texts] of [
      ['en', en],
      ['vi', vi],
    ] as const) {
      expect(
        [...texts].filter(([, text]) => text.trim() === '').map(([key]) => `${language}:${key}`),
      ).toEqual([]);
    }
  });

  it('uses the same placeholders in both languages', () => {
    const mismatched = [...en].filter(([key, text]) => {
      const other = vi.get(key);
      return other !== undefined && placeholders(other).join() !== placeholders(text).join();
    });
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('keeps the accessible names the browser tests look for', () => {
    expect(en.get('floor.request')).toBe('Request the floor');
    expect(en.get('floor.withdraw')).toBe('Withdraw request');
    expect(en.get('chair.giveNext')).toBe('Give the floor to the next speaker');
    expect(en.get('chair.takeBack')).toBe('Take back the floor');
    expect(en.get('chair.startTour')).toBe('Start tour de table');
    expect(en.get('floor.speakersList')).toBe('Speakers list');
    expect(en.get('floor.region')).toBe('Floor');
  });
});
