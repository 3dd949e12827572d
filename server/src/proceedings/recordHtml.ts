// The record of the meeting as a printable HTML page: every value escaped, no script, no outside
// resource, so it can be saved, mailed and printed as it is.
import type { MeetingRecord } from '@summit-bridge/protocol';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

const style = `body{font:11pt/1.45 Georgia,serif;margin:2cm;color:#111}
h1{font-size:16pt;margin:0}h2{font-size:13pt;margin-top:1.5em;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;padding:.2em .5em;border-bottom:1px solid #ddd}
.time{white-space:nowrap;font-variant-numeric:tabular-nums}.meta{color:#444}@media print{body{margin:0}}`;

export function recordHtml(record: MeetingRecord): string {
  const e = escapeHtml;
  const attendance = record.attendance
    .map((line) => {
      const periods =
        line.periods.length === 0
          ? 'not connected'
          : line.periods
              .map((p) => `${e(p.from.local)} – ${p.to ? e(p.to.local) : 'end of record'}`)
              .join('<br>');
      return `<tr><td>${e(line.name)}</td><td class="time">${periods}</td></tr>`;
    })
    .join('\n');
  const items = record.items
    .map((item) => `<tr><td class="time">${e(item.time.local)}</td><td>${e(item.text)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Record of the meeting — ${e(record.session.title)}</title>
<style>${style}</style></head>
<body>
<h1>Record of the meeting</h1>
<p>${e(record.summit.title)}<br><strong>${e(record.session.title)}</strong></p>
<p class="meta">Draft generated ${e(record.generatedAt.local)} from the audit trail. Times in ${e(record.hostTimeZone)}.</p>
<h2>Attendance</h2>
<table><thead><tr><th>Delegation</th><th>Connected</th></tr></thead><tbody>
${attendance}
</tbody></table>
<h2>Proceedings</h2>
<table><thead><tr><th>Time</th><th>What happened</th></tr></thead><tbody>
${items}
</tbody></table>
</body></html>
`;
}
