// The instants and days of domain/time.ts: the quick paths (plain arithmetic, the engine's parser, answers
// remembered) give what luxon gives, for any day and instant.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDays, atHour, endOfDay, localDateOf, millisUntil, startOfDay } from '../../domain/time.js';
import { addWorkdays } from '../../domain/workdays.js';
import { buildWorkCalendar } from '../../domain/official-holidays.js';

const day = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const zone = fc.constantFrom('Asia/Shanghai', 'UTC', 'Europe/London', 'America/New_York', 'UTC+5:37', 'Australia/Lord_Howe');

describe('days and instants', () => {
  it('adds days as luxon does, across months, leap years and centuries', () => {
    fc.assert(fc.property(day, fc.integer({ min: -1000, max: 1000 }), (d, n) => {
      expect(addDays(d, n)).toBe(DateTime.fromISO(d, { zone: 'UTC' }).plus({ days: n }).toISODate());
    }), { numRuns: 500 });
    expect(addDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2019-12-31', 1)).toBe('2020-01-01');
    // A day that does not exist is no day, as luxon has it.
    expect(addDays('2019-02-30', 1)).toBe('');
  });

  it('reads an instant as luxon does, whatever its offset and precision', () => {
    const instant = fc.tuple(day, zone, fc.integer({ min: 0, max: 86_399_999 }), fc.constantFrom(true, false))
      .map(([d, z, ms, whole]) => {
        const dt = DateTime.fromISO(d, { zone: z }).plus({ milliseconds: whole ? ms - (ms % 1000) : ms });
        return dt.toISO({ suppressMilliseconds: whole })!;
      });
    const now = new Date('2026-11-27T02:00:00Z');
    fc.assert(fc.property(instant, (s) => {
      expect(millisUntil(s, now)).toBe(DateTime.fromISO(s).toMillis() - now.getTime());
    }), { numRuns: 500 });
    // Not in the form this module writes: luxon reads it (a local time in the machine's zone).
    expect(millisUntil('2019-12-31T09:00', now)).toBe(DateTime.fromISO('2019-12-31T09:00').toMillis() - now.getTime());
  });

  it('gives the same answer remembered as computed, and after it forgot', () => {
    const fresh = (d: string, z: string) => DateTime.fromISO(d, { zone: z }).startOf('day');
    fc.assert(fc.property(day, zone, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 3599 }), (d, z, h, sec) => {
      for (let i = 0; i < 2; i += 1) {
        expect(atHour(d, h, z, sec)).toBe(fresh(d, z).set({ hour: h }).plus({ seconds: sec }).toISO({ suppressMilliseconds: true }));
        expect(endOfDay(d, z)).toBe(fresh(d, z).endOf('day').toISO());
        expect(startOfDay(d, z)).toBe(fresh(d, z).toISO({ suppressMilliseconds: true }));
        const noon = fresh(d, 'UTC').set({ hour: 12 }).toISO()!;
        expect(localDateOf(noon, z)).toBe(DateTime.fromISO(noon).setZone(z).toISODate());
      }
    }), { numRuns: 500 });
    // Past its size the memory is emptied; what was forgotten is computed again, the same.
    const days = Array.from({ length: 1500 }, (_, i) => addDays('2000-01-01', i));
    const first = days.map((d) => atHour(d, 9, 'Asia/Shanghai'));
    for (const i of [0, 1, 700, 1499]) {
      expect(atHour(days[i]!, 9, 'Asia/Shanghai')).toBe(first[i]);
      expect(first[i]).toBe(`${days[i]}T09:00:00+08:00`);
    }
  });

  it('counts working days the same whether remembered or not', () => {
    const cal = buildWorkCalendar('2019-01-01', '2021-12-31');
    const other = buildWorkCalendar('2019-01-01', '2021-12-31');
    other.off.push('2020-02-03');
    expect(addWorkdays('2020-01-31', 1, cal)).toBe('2020-02-03');
    // Another calendar is asked on its own, though the first remembered the same question.
    expect(addWorkdays('2020-01-31', 1, other)).toBe('2020-02-04');
    expect(addWorkdays('2020-01-31', 1, cal)).toBe('2020-02-03');
  });
});
