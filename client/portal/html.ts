// HTML by tagged template: every interpolated value is escaped unless it is already Html, so a
// name or a note typed by a user can never become markup.
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | boolean | null | undefined | Part[];

export function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (Array.isArray(p)) return p.map(render).join('');
  if (p instanceof Html) return p.value;
  return escape(String(p));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

/** A query string from the pairs that have a value. */
export function qs(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return q ? `?${q}` : '';
}

/** A column of a card table: its name, and classes for its cells (`num`, `c` for a short one). */
export interface Col { label: string; cls?: string }
export interface Row { cells: Part[]; testid?: string }

/**
 * A table that becomes one card per row on a narrow screen (CSS `table.cards`): every cell carries its
 * column's name in `data-label`, shown above the value when the header row is hidden.
 */
export function cardTable(cols: (string | Col)[], rows: Row[], attrs: { testid?: string; cls?: string } = {}): Html {
  const c = cols.map((x) => (typeof x === 'string' ? { label: x } : x));
  return html`<table class="cards${attrs.cls ? ` ${attrs.cls}` : ''}"${attrs.testid ? html` data-testid="${attrs.testid}"` : ''}><thead><tr>${c.map((x) => html`<th${x.cls ? html` class="${x.cls}"` : ''}>${x.label}</th>`)}</tr></thead><tbody>
${rows.map((r) => html`<tr${r.testid ? html` data-testid="${r.testid}"` : ''}>${r.cells.map((cell, i) => html`<td${c[i]?.cls ? html` class="${c[i]!.cls}"` : ''} data-label="${c[i]?.label ?? ''}">${cell}</td>`)}</tr>
`)}</tbody></table>`;
}
