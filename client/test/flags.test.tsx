import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { drawings, star } from '../src/flags/drawings.js';
import { Flag } from '../src/flags/Flag.js';

// The demo summit: ASEAN members, the Secretariat, the +3 partners and Australia.
const demo: [string, string | undefined][] = [
  ['BRN', 'BN'],
  ['KHM', 'KH'],
  ['IDN', 'ID'],
  ['LAO', 'LA'],
  ['MYS', 'MY'],
  ['MMR', 'MM'],
  ['PHL', 'PH'],
  ['SGP', 'SG'],
  ['THA', 'TH'],
  ['VNM', 'VN'],
  ['ASEC', undefined],
  ['CHN', 'CN'],
  ['JPN', 'JP'],
  ['KOR', 'KR'],
  ['AUS', 'AU'],
];

describe('flags', () => {
  it('draws every delegation of the demo summit, by its flag or, for the Secretariat, by its code', () => {
    for (const [code, flag] of demo) {
      const svg = renderToStaticMarkup(<Flag delegation={flag ? { code, flag } : { code }} />);
      expect(svg, code).not.toContain(`>${code}<`);
      expect(svg, code).toMatch(/<(rect|polygon|circle|path)/);
      expect(drawings[flag ?? code], code).toBeDefined();
    }
  });

  it('falls back to a plate with the code, hidden from screen readers beside the written name', () => {
    const svg = renderToStaticMarkup(<Flag delegation={{ code: 'NZL', flag: 'NZ' }} />);
    expect(svg).toContain('>NZL<');
    expect(svg).toContain('aria-hidden="true"');
  });

  it('draws stars with the asked number of tips', () => {
    expect(star(0, 0, 2, 1).split(' ')).toHaveLength(10);
    expect(star(0, 0, 2, 1, 14).split(' ')).toHaveLength(28);
    expect(star(0, 0, 2, 1).split(' ')[0]).toBe('0.00,-2.00');
  });
});
