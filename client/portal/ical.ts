// A person's deadlines as an iCalendar feed (RFC 5545), for phones and Outlook to subscribe to.
// Each deadline is an all-day event on its due day in the cycle's zone (a deadline "by D" is the end
// of day D), with a reminder the morning before; the UID stays the same, so a moved deadline moves.
import { DateTime } from 'luxon';
import type { Task } from './tasks.js';

const text = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Lines longer than 75 octets are folded, never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (octets + n > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

const day = (iso: string, zone: string) => DateTime.fromISO(iso).setZone(zone);
const utcStamp = (d: Date) => DateTime.fromJSDate(d).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");

export function icalFeed(opts: { name: string; tasks: (Task & { timeZone: string })[]; portalUrl: string; now: Date }): string {
  const lines = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//perfcycle//portal//ZH', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(`绩效评估期限 / Deadlines – ${opts.name}`)}`, 'X-PUBLISHED-TTL:PT1H', 'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
  ];
  for (const t of opts.tasks) {
    const due = day(t.due, t.timeZone);
    const verb = t.kind === 'submit' ? ['提交', 'Submit'] : ['审核', 'Review'];
    const url = `${opts.portalUrl}/cycles/${t.cycleId}/d/${t.deliverableId}`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${t.cycleId}.${t.deliverableId}.${t.kind}@perfcycle`,
      `DTSTAMP:${utcStamp(opts.now)}`,
      `DTSTART;VALUE=DATE:${due.toFormat('yyyyMMdd')}`,
      `DTEND;VALUE=DATE:${due.plus({ days: 1 }).toFormat('yyyyMMdd')}`,
      `SUMMARY:${text(`【${verb[0]}】${t.title.zh} / ${verb[1]}: ${t.title.en}`)}`,
      `DESCRIPTION:${text(`截止 / due ${due.toFormat('yyyy-MM-dd HH:mm')} (${t.timeZone})\n${url}`)}`,
      `URL:${url}`,
      'TRANSP:TRANSPARENT',
      'BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${text(`${verb[0]}：${t.title.zh}`)}`, 'TRIGGER:-PT15H', 'END:VALARM',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
