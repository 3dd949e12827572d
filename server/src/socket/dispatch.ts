import {
  actionFor,
  can,
  clientRequests,
  failure,
  invalidPayload,
  type RequestName,
  type Result,
  requestsWhileWaiting,
  truncate,
} from '@summit-bridge/protocol';
import { errorCodeOf } from '../errors.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Connection, Handlers } from './context.js';

type Ack = (reply: Result<object>) => void;

const requestNames: ReadonlySet<string> = new Set(Object.keys(clientRequests));

/** A bucket of `burst` requests refilled at `perSecond`: a flood gets rate_limited, not served. */
class RequestBudget {
  private tokens: number;
  private last = Date.now();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The one door every request goes through: rate budget, schema, permission, then the handler.
 * A bad request is answered with a typed error and changes nothing. `log` is the connection's
 * child logger: every line says whose request it was.
 */
export function registerRequests(
  conn: Connection,
  handlers: Handlers,
  log: Logger,
  metrics: Metrics,
  limits: { requestsPerSecond: number; requestBurst: number },
): void {
  const budget = new RequestBudget(limits.requestsPerSecond, limits.requestBurst);

  async function handle(name: RequestName, raw: unknown): Promise<Result<object>> {
    if (!budget.take()) return failure('rate_limited', 'too many requests, slow down');
    const definition = clientRequests[name];
    const parsed = definition.payload.safeParse(raw ?? {});
    if (!parsed.success) {
      const error = invalidPayload(parsed.error);
      log.warn({ request: name, error: error.message }, 'invalid payload');
      return { ok: false, error };
    }
    // In the lobby, nothing of the session: only the clock and the camera the staff will see.
    if (conn.socket.data.waiting && !requestsWhileWaiting.has(name))
      return failure('forbidden', 'you are waiting in the lobby: the secretariat will admit you');
    const action = actionFor(definition.action as never, parsed.data as never);
    if (!can(conn.grants.role, action))
      return failure('forbidden', `a ${conn.grants.role} may not ${action}`);
    try {
      const response = await (handlers[name] as (c: Connection, p: unknown) => Promise<object>)(
        conn,
        parsed.data,
      );
      return { ok: true, ...response };
    } catch (err) {
      const code = errorCodeOf(err);
      if (code && code !== 'internal') return failure(code, (err as Error).message);
      log.error({ err, request: name }, 'request failed');
      return failure('internal', 'the server could not complete this request');
    }
  }

  // One listener for every event, rather than one per request name on every socket: a join in a
  // reconnect storm registers one closure, not forty.
  conn.socket.onAny(async (event: string, ...args: unknown[]) => {
    const reply = args.at(-1);
    if (typeof reply !== 'function') return;
    const answer = reply as Ack;
    if (!requestNames.has(event)) {
      // Unknown names spend the budget too: a flood of them is a flood.
      answer(
        budget.take()
          ? failure('not_found', `unknown request ${truncate(event, 64)}`)
          : failure('rate_limited', 'too many requests, slow down'),
      );
      return;
    }
    const name = event as RequestName;
    // `emit(name, ack)` carries no payload; `emit(name, payload, ack)` one; anything more is refused.
    if (args.length > 2) {
      answer(failure('invalid_payload', 'a request carries one payload and an acknowledgement'));
      return;
    }
    const stop = metrics.requestSeconds.startTimer({ request: name });
    const result = await handle(name, args.length === 2 ? args[0] : {});
    stop({ outcome: result.ok ? 'ok' : result.error.code });
    answer(result);
  });
}
