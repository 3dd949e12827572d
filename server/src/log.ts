// One JSON line per event on stdout: easy to grep on a console, easy to ship to a log store.
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: object): void;
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
}

export function createLogger(
  level: Level = 'info',
  write: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  const emit = (at: Level) => (msg: string, fields?: object) => {
    if (order[at] < order[level]) return;
    write(`${JSON.stringify({ t: new Date().toISOString(), level: at, msg, ...fields })}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
