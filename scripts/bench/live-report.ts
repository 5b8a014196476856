// Figures for the live benchmark's report: exact percentiles of what was measured one by one, and a
// summary of the SDK's Prometheus histograms (which only have buckets: their p99 is a bucket's bound).

/** Nearest-rank percentile; null for no values. */
export function pct(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const r = (n: number | null, digits: number) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

export function latencyMs(xs: number[]) {
  return { n: xs.length, p50: r(pct(xs, 50), 0), p99: r(pct(xs, 99), 0), max: r(pct(xs, 100), 0) };
}

export function latencySeconds(xs: number[]) {
  return { n: xs.length, p50: r(pct(xs, 50), 3), p99: r(pct(xs, 99), 3), max: r(pct(xs, 100), 3) };
}

/**
 * A histogram of the Prometheus text, all label sets added up: count, mean, and the upper bound of
 * the bucket holding the median and the 99th percentile (`null`: above the largest bound).
 */
export function promHistogram(text: string, name: string) {
  const buckets = new Map<number, number>();
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    const rest = line.slice(name.length);
    if (rest.startsWith('_bucket')) {
      const le = /le="([^"]+)"/.exec(rest)?.[1];
      if (le && le !== '+Inf') buckets.set(Number(le), (buckets.get(Number(le)) ?? 0) + value);
    } else if (rest.startsWith('_sum')) sum += value;
    else if (rest.startsWith('_count')) count += value;
  }
  if (!count) return { count: 0 };
  const bound = (q: number) => [...buckets.entries()].sort((a, b) => a[0] - b[0]).find(([, c]) => c >= q * count)?.[0] ?? null;
  return { count, mean: Math.round(sum / count), p50AtMost: bound(0.5), p99AtMost: bound(0.99) };
}

/** A counter or gauge of the Prometheus text, all label sets added up. */
export function promTotal(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
