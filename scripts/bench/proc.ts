// What the kernel says about a process (Linux /proc): resident memory now and at its peak, CPU time.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcSample {
  /** Resident set now (VmRSS), MiB. */
  rssMiB: number;
  /** Peak resident set since the process started (VmHWM), MiB. */
  peakRssMiB: number;
  /** User + system CPU time, seconds. */
  cpuSeconds: number;
}

const TICKS = 100; // USER_HZ on Linux

export function procSample(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(rest[11]) + Number(rest[12])) / TICKS;
    return { rssMiB: Math.round(kib('VmRSS') / 1024), peakRssMiB: Math.round(kib('VmHWM') / 1024), cpuSeconds: cpu };
  } catch {
    return undefined; // gone
  }
}

/**
 * CPU seconds of a server that works in child processes (PostgreSQL's backends): its own, its live
 * children's, and what its ended children left in its account when it reaped them.
 */
export function treeCpuSeconds(pid: number): number {
  const fields = (p: number) => {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14])) / TICKS };
  };
  let total = 0;
  try {
    total = fields(pid).cpu;
  } catch {
    return 0; // gone
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = fields(Number(entry));
      if (f.ppid === pid) total += f.cpu;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** The children of `pid` whose command line contains `needle`. */
export function childrenMatching(pid: number, needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export function machine(): { cpus: number; model: string; memGiB: number; loadAvg: number[] } {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const loadAvg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  return {
    cpus: (cpuinfo.match(/^processor\s*:/gm) ?? []).length,
    model: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memGiB: Math.round(Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0) / 2 ** 20),
    loadAvg,
  };
}
