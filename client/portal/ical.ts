// A person's deadlines as an iCalendar feed (RFC 5545), for phones and Outlook to subscribe to.
// Each deadline is an all-day event on its due day in the cycle's zone (a deadline "by D" is the end
// of day D), with a reminder the morning before; the UID stays the same, so a moved deadline moves.
// The text is written by a kept generator (ical-generator: escaping, CRLF, folding by octets), not by
// hand: names come from cycle files, and a bare CR in one used to start a line of its own.
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventTransparency } from 'ical-generator';
import { DateTime } from 'luxon';
import type { Task } from './tasks.js';

/**
 * ical-generator escapes TEXT properties (SUMMARY, DESCRIPTION) but writes the calendar's NAME and
 * the UID as given: control characters (CR, LF and the rest) become spaces there.
 */
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
/** In TEXT the generator turns CR and LF into \n; the other control characters have no place in a calendar. */
const text = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');

const day = (iso: string, zone: string) => DateTime.fromISO(iso).setZone(zone);
const segment = (s: string) => encodeURIComponent(s);

export function icalFeed(opts: { name: string; tasks: (Task & { timeZone: string })[]; portalUrl: string; now: Date }): string {
  const cal = ical({
    name: oneLine(`绩效评估期限 / Deadlines – ${opts.name}`),
    prodId: { company: 'perfcycle', product: 'portal', language: 'ZH' },
    method: ICalCalendarMethod.PUBLISH,
    scale: 'gregorian',
    ttl: 3600,
  });
  for (const t of opts.tasks) {
    const due = day(t.due, t.timeZone);
    const verb = t.kind === 'submit' ? ['提交', 'Submit'] : ['审核', 'Review'];
    const url = `${opts.portalUrl}/cycles/${segment(t.cycleId)}/d/${segment(t.deliverableId)}`;
    cal.createEvent({
      id: oneLine(`${t.cycleId}.${t.deliverableId}.${t.kind}@perfcycle`),
      stamp: opts.now,
      start: due.startOf('day'),
      end: due.startOf('day').plus({ days: 1 }),
      allDay: true,
      summary: text(`【${verb[0]}】${t.title.zh} / ${verb[1]}: ${t.title.en}`),
      description: text(`截止 / due ${due.toFormat('yyyy-MM-dd HH:mm')} (${t.timeZone})\n${url}`),
      url,
      transparency: ICalEventTransparency.TRANSPARENT,
      // 15 hours before the due day begins: 09:00 the day before.
      alarms: [{ type: ICalAlarmType.display, trigger: 15 * 3600, description: text(`${verb[0]}：${t.title.zh}`) }],
    });
  }
  // RFC 5545 ends every line, the last one too, with CRLF.
  return `${cal.toString().replace(/(\r\n)?$/, '')}\r\n`;
}
