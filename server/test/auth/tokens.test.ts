import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import {
  adminTokenMatches,
  newAdminToken,
  signParticipantToken,
  tokenFailure,
  verifyParticipantToken,
} from '../../src/auth/tokens.js';

const secret = 'test-secret-0123456789abcdef';
const now = Date.parse('2020-04-09T07:00:00Z');
const grants = {
  sub: 'hod-vnm',
  name: 'Pham Binh Minh',
  summit: 'asean-2020',
  sessions: ['acc'],
  delegation: 'VNM',
  role: 'chair' as const,
};
const sign = (ttlSec = 3600) => signParticipantToken(grants, { secret, ttlSec, now });

describe('participant tokens', () => {
  it('carry the grants, a fresh jti and the expiry', () => {
    const signed = sign();
    expect(signed.expiresAt).toBe(now + 3_600_000);
    expect(signed.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sign().jti).not.toBe(signed.jti);
    expect(verifyParticipantToken(signed.token, secret, now + 1000)).toEqual({
      ok: true,
      grants: { ...grants, jti: signed.jti, iat: now / 1000, exp: now / 1000 + 3600 },
    });
  });

  it('are refused when missing', () => {
    for (const token of [undefined, null, ''])
      expect(verifyParticipantToken(token, secret)).toEqual(tokenFailure('missing'));
    expect(tokenFailure('missing').error).toEqual({
      code: 'unauthenticated',
      message: 'a token is required',
    });
  });

  it('are refused once expired', () => {
    const { token } = sign(60);
    expect(verifyParticipantToken(token, secret, now + 59_000).ok).toBe(true);
    const late = verifyParticipantToken(token, secret, now + 60_000);
    expect(late).toMatchObject({ ok: false, reason: 'expired', error: { code: 'unauthenticated' } });
    expect(late.ok ? '' : late.error.message).toMatch(/expired/);
  });

  it('are refused when signed with another secret or algorithm, unsigned, or altered', () => {
    const { token } = sign();
    expect(verifyParticipantToken(token, 'another-secret', now)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    const payload = jwt.decode(token) as Record<string, unknown>;
    const hs512 = jwt.sign(payload, secret, { algorithm: 'HS512' });
    expect(verifyParticipantToken(hs512, secret, now)).toMatchObject({ ok: false, reason: 'bad_signature' });
    const unsigned = `${token.split('.').slice(0, 2).join('.')}.`;
    expect(verifyParticipantToken(unsigned, secret, now)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    const [header, , signature] = token.split('.');
    const altered = Buffer.from(JSON.stringify({ ...payload, delegation: 'THA' })).toString('base64url');
    expect(verifyParticipantToken(`${header}.${altered}.${signature}`, secret, now)).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('are refused when malformed or carrying grants that do not parse', () => {
    expect(verifyParticipantToken('not-a-jwt', secret, now)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    const wrongGrants = jwt.sign({ sub: 'x', exp: now / 1000 + 60 }, secret, { algorithm: 'HS256' });
    expect(verifyParticipantToken(wrongGrants, secret, now)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  it('cannot be signed with grants the verifier would refuse', () => {
    expect(() => signParticipantToken({ ...grants, summit: 'Not A Slug' }, { secret, ttlSec: 60 })).toThrow();
  });

  it('name a revoked token clearly for the caller that found its jti in the store', () => {
    expect(tokenFailure('revoked')).toEqual({
      ok: false,
      reason: 'revoked',
      error: { code: 'unauthenticated', message: 'the token has been revoked' },
    });
  });
});

describe('the admin token', () => {
  it('matches only the exact token', () => {
    const expected = newAdminToken();
    expect(expected.length).toBeGreaterThanOrEqual(32);
    expect(newAdminToken()).not.toBe(expected);
    expect(adminTokenMatches(expected, expected)).toBe(true);
    expect(adminTokenMatches(`${expected}x`, expected)).toBe(false);
    expect(adminTokenMatches(expected.slice(1), expected)).toBe(false);
    expect(adminTokenMatches(undefined, expected)).toBe(false);
    expect(adminTokenMatches('', '')).toBe(false);
  });
});
