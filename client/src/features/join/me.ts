import { ErrorBody, MeResponse } from '@summit-bridge/protocol';

/** Why a token cannot be used, as the participant needs to hear it. */
export type TokenProblem = 'expired' | 'revoked' | 'invalid' | 'refused' | 'unreachable';

export type MeResult = { ok: true; me: MeResponse } | { ok: false; problem: TokenProblem; message: string };

/** Sorts a refusal into the screens a participant can act on; the message says which. */
export function problemOf(code: string, message: string): TokenProblem {
  if (/expired/i.test(message)) return 'expired';
  if (/revoked/i.test(message)) return 'revoked';
  if (code === 'unauthenticated' || /signature|malformed|invalid/i.test(message)) return 'invalid';
  return 'refused';
}

/** GET /api/v1/me with the token as a bearer: who the participant is and where they may go. */
export async function fetchMe(token: string, fetchImpl: typeof fetch = fetch): Promise<MeResult> {
  let response: Response;
  let body: unknown;
  try {
    response = await fetchImpl('/api/v1/me', {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      cache: 'no-store',
    });
    body = await response.json();
  } catch (error) {
    return { ok: false, problem: 'unreachable', message: String(error) };
  }
  if (response.ok) {
    const me = MeResponse.safeParse(body);
    return me.success
      ? { ok: true, me: me.data }
      : { ok: false, problem: 'unreachable', message: 'the server answered out of contract' };
  }
  const error = ErrorBody.safeParse((body as { error?: unknown } | null)?.error);
  if (!error.success) return { ok: false, problem: 'unreachable', message: `HTTP ${response.status}` };
  if (response.status === 401 || response.status === 403)
    return {
      ok: false,
      problem: problemOf(error.data.code, error.data.message),
      message: error.data.message,
    };
  return { ok: false, problem: 'unreachable', message: error.data.message };
}
