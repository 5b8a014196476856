// Plain-text tables for a terminal. CJK characters take two columns; padEnd alone would misalign zh-CN.
const width = (s: string) => [...s].reduce((w, c) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(c) ? 2 : 1), 0);
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

/** Pads every column but the last, which may run long. */
export function textTable(header: string[], rows: string[][]): string {
  const last = header.length - 1;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (c: string[]) => c.map((x, i) => (i < last ? pad(x, widths[i] ?? 0) : x)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
