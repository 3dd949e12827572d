/** The viewer's own IANA time zone, as the browser reports it. */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const locales: Record<string, string> = { en: 'en-GB', vi: 'vi-VN' };

/** A schedule slot in one time zone: "14 Apr, 09:00 – 11:30 GMT+7". */
export function formatSlot(start: string, end: string, timeZone: string, language: string): string {
  const format = new Intl.DateTimeFormat(locales[language] ?? language, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  });
  return format.formatRange(new Date(start), new Date(end));
}

/** A moment as a wall clock in the viewer's zone: "14:05:09". */
export function formatClock(at: number, language: string): string {
  return new Intl.DateTimeFormat(locales[language] ?? language, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** A moment with its date, in the viewer's zone: "9 Apr 2020, 09:00:05". */
export function formatMoment(at: number, language: string): string {
  return new Intl.DateTimeFormat(locales[language] ?? language, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
