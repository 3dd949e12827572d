import { describe, expect, it } from 'vitest';
import { readJoinLink } from '../src/features/join/joinLink.js';

describe('join link', () => {
  it('reads the token and the session from the fragment', () => {
    expect(readJoinLink('#token=eyJ.a.b&session=som')).toEqual({ token: 'eyJ.a.b', sessionId: 'som' });
    expect(readJoinLink('token=eyJ.a.b')).toEqual({ token: 'eyJ.a.b', sessionId: null });
  });

  it('has no link without a token', () => {
    expect(readJoinLink('')).toBeNull();
    expect(readJoinLink('#session=som')).toBeNull();
    expect(readJoinLink('#token=')).toBeNull();
  });
});
