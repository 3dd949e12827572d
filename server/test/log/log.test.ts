// What the server writes to its log: JSON lines, with tokens and secrets blanked wherever they are.
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger('info', { destination }) };
}

it('redacts tokens and secrets, in the line and in a child logger’s bindings', () => {
  const { lines, log } = capture();
  log.info({ token: 'eyJ.secret.token', auth: { token: 'eyJ.other' }, kept: 'visible' }, 'handshake');
  log.child({ participant: 'p1' }).warn({ headers: { authorization: 'Bearer abc' } }, 'refused');
  expect(lines[0]).toMatchObject({ msg: 'handshake', token: '[redacted]', kept: 'visible' });
  expect(lines[0]?.auth).toEqual({ token: '[redacted]' });
  expect(lines[1]).toMatchObject({
    msg: 'refused',
    participant: 'p1',
    headers: { authorization: '[redacted]' },
  });
  expect(JSON.stringify(lines)).not.toMatch(/eyJ|Bearer abc/);
});

it('keeps an error’s message and stack under err', () => {
  const { lines, log } = capture();
  log.error({ err: new Error('worker gone') }, 'request failed');
  expect(lines[0]).toMatchObject({ level: 50, msg: 'request failed', err: { message: 'worker gone' } });
  const err = lines[0]?.err as { stack?: string } | undefined;
  expect(String(err?.stack)).toContain('log.test.ts');
});
