// How long a value a caller sends towards a workflow may be (issue 7, item 8). An accepted Update's
// request is written to Temporal history, and so are the snapshots and the carry built from it; ~60
// values of 1 MB grew a cycle's history to 53 MB and Temporal terminated it. The HTTP schemas, the
// workflow validators and these checks hold every value to this one table. The limits are far above
// anything real (the longest cell of the 2019 target table has 35 characters) and far below what hurts:
// a whole request stays under Temporal's 2 MB payload limit. Characters are Unicode code points, as
// JSON Schema's maxLength counts them. Pure (no Node, no clock, no randomness): workflow code imports it.

export const LIMITS = {
  /** ids: cycle, deliverable, target, veto and figure names, categories; a SHA-256 in hex is 64 too */
  id: 64,
  personId: 64,
  /** a person's or a department's name as a target table writes it */
  name: 100,
  title: 200,
  /** a note on a submission, a mark or evidence; a reviewer's comment */
  note: 4000,
  /** why something is rejected or corrected */
  reason: 2000,
  /** the words of an urge (催办) to the person who must act: a line or two of a mail */
  message: 500,
  /** where a figure or a veto finding comes from */
  source: 200,
  fileName: 255,
  /** a city's organisation directory: far above a city's civil service, far below a slow import */
  directoryPeople: 5000,
  directoryUnits: 500,
  directoryDepartments: 5000,
  phone: 40,
  /** YYYY-MM-DD */
  due: 10,
  /** a target's quality or progress requirement (质量要求, 进度要求) */
  requirement: 500,
  filesPerSubmission: 20,
  /** there are 7 veto cases */
  vetoes: 10,
  /** the units a city grades in one year: a few dozen bureaus */
  gradingUnits: 500,
  /** a unit's table has a few dozen targets */
  targets: 200,
  departmentsPerTarget: 10,
  /** a request as a whole (JSON, UTF-8 bytes), which also bounds fields no one checks by name */
  requestBytes: 64 * 1024,
  /** an uploaded table (targets, roster, directory): a city's directory is a few hundred KB */
  tableBytes: 5 * 1024 * 1024,
  tableRows: 10_000,
  tableColumns: 100,
  /** a target import: Temporal warns from 512 KB and refuses a payload over 2 MB */
  importBytes: 1024 * 1024,
} as const;

type Check = string | undefined;

/** Whether a string has more than `max` code points; counts at most 2·max characters. */
function longerThan(s: string, max: number): boolean {
  if (s.length <= max) return false;
  if (s.length > 2 * max) return true;
  return Array.from(s).length > max;
}

/** A caller's value, safe to echo in a message: at most `n` characters, then an ellipsis. */
export function clip(value: unknown, n = 40): string {
  const s = typeof value === 'string' ? value : String(value);
  return longerThan(s, n) ? `${Array.from(s.slice(0, 2 * n)).slice(0, n).join('')}…` : s;
}

export const tooLongMessage = (field: string, max: number) => `${field}: 过长（最多 ${max} 个字符）/ too long (at most ${max} characters)`;
export const tooManyMessage = (field: string, max: number) => `${field}: 过多（最多 ${max} 项）/ too many (at most ${max} items)`;
const tooLargeMessage = (field: string, max: number) => `${field}: 过大（最多 ${max} 字节）/ too large (at most ${max} bytes)`;

/**
 * The error of one text value, or undefined. Absent (undefined or null) passes: whether a value is
 * required is the validator's rule, and its message says so better.
 */
export function tooLong(field: string, value: unknown, max: number): Check {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return `${field}: 应为文字 / expected a string`;
  return longerThan(value, max) ? tooLongMessage(field, max) : undefined;
}

/** The error of a list (absent passes), then of its items, each checked by `item`. */
export function tooMany(field: string, value: unknown, max: number, item?: (field: string, v: unknown) => Check): Check {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return `${field}: 应为列表 / expected a list`;
  if (value.length > max) return tooManyMessage(field, max);
  return item ? first(value.map((v, i) => () => item(`${field}.${i}`, v))) : undefined;
}

/** Only a present non-number: a missing or out-of-range number is the validator's rule. */
function notNumber(field: string, value: unknown, nullable = false): Check {
  if (value === undefined || typeof value === 'number' || (nullable && value === null)) return undefined;
  return `${field}: 应为数字${nullable ? '或 null' : ''} / expected a number${nullable ? ' or null' : ''}`;
}

/** UTF-8 bytes of the request as JSON, checked last: the fields above name what is wrong when they can. */
function tooLarge(req: unknown, max: number): Check {
  let json: string;
  try {
    json = JSON.stringify(req) ?? '';
  } catch {
    return 'request: 无法读取的请求 / unreadable request';
  }
  if (json.length > max) return tooLargeMessage('request', max);
  let bytes = 0;
  for (let i = 0; i < json.length && bytes <= max; i += 1) {
    const c = json.charCodeAt(i);
    // a surrogate pair is 4 bytes: 2 + 2
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
  }
  return bytes > max ? tooLargeMessage('request', max) : undefined;
}

/** The first error of lazily run checks. */
function first(checks: (() => Check)[]): Check {
  for (const c of checks) {
    const e = c();
    if (e !== undefined) return e;
  }
  return undefined;
}

const fields = (o: unknown): Record<string, unknown> => (typeof o === 'object' && o !== null ? o as Record<string, unknown> : {});

/** A file record's strings; whether it is a valid record at all is the validator's rule. */
const fileLimits = (field: string, f: unknown): Check => {
  const r = fields(f);
  return first([() => tooLong(`${field}.name`, r.name, LIMITS.fileName), () => tooLong(`${field}.sha256`, r.sha256, LIMITS.id)]);
};

const L = LIMITS;
const actor = (r: Record<string, unknown>) => () => tooLong('actor', r.actor, L.personId);
const size = (req: unknown, max: number = L.requestBytes) => () => tooLarge(req, max);

export function submitLimits(req: unknown): Check {
  const r = fields(req);
  return first([actor(r), () => tooLong('note', r.note, L.note), () => tooMany('files', r.files, L.filesPerSubmission, fileLimits), size(req)]);
}

export function approveLimits(req: unknown): Check {
  const r = fields(req);
  return first([actor(r), () => tooLong('comment', r.comment, L.note), size(req)]);
}

export function rejectLimits(req: unknown): Check {
  const r = fields(req);
  return first([actor(r), () => tooLong('reason', r.reason, L.reason), () => tooLong('due', r.due, L.due), size(req)]);
}

export function urgeLimits(req: unknown): Check {
  const r = fields(req);
  return first([actor(r), () => tooLong('message', r.message, L.message), size(req)]);
}

export function extendLimits(req: unknown): Check {
  const r = fields(req);
  return first([actor(r), () => tooLong('due', r.due, L.due), () => tooLong('reason', r.reason, L.reason), size(req)]);
}

export function delegateLimits(req: unknown): Check {
  const r = fields(req);
  return first([
    actor(r), () => tooLong('from', r.from, L.personId), () => tooLong('to', r.to, L.personId), () => tooLong('toName', r.toName, L.name),
    () => tooLong('deliverableId', r.deliverableId, L.id), () => tooLong('start', r.start, L.due), () => tooLong('end', r.end, L.due),
    () => tooLong('reason', r.reason, L.reason), size(req),
  ]);
}

export function markLimits(req: unknown): Check {
  const r = fields(req);
  return first([
    actor(r), () => tooLong('targetId', r.targetId, L.id), () => notNumber('mark', r.mark),
    () => tooLong('note', r.note, L.note), () => tooLong('reason', r.reason, L.reason), size(req),
  ]);
}

export function figureLimits(req: unknown): Check {
  const r = fields(req);
  return first([
    actor(r), () => tooLong('figure', r.figure, L.id), () => notNumber('value', r.value, true),
    () => tooLong('source', r.source, L.source), () => tooLong('reason', r.reason, L.reason), size(req),
  ]);
}

export function vetoLimits(req: unknown): Check {
  const r = fields(req);
  return first([
    actor(r), () => tooMany('vetoes', r.vetoes, L.vetoes, (f, v) => tooLong(f, v, L.id)),
    () => tooLong('source', r.source, L.source), () => tooLong('reason', r.reason, L.reason), size(req),
  ]);
}

export function evidenceLimits(req: unknown): Check {
  const r = fields(req);
  return first([
    actor(r), () => tooLong('targetId', r.targetId, L.id), () => tooLong('category', r.category, L.id),
    () => fileLimits('file', r.file), () => tooLong('note', r.note, L.note), size(req),
  ]);
}

/** One imported target's strings: ids, or names where a table without a directory leaves names. */
const targetLimits = (field: string, t: unknown): Check => {
  const r = fields(t);
  const text = (k: string, max: number) => () => tooLong(`${field}.${k}`, r[k], max);
  return first([
    text('id', L.id), text('category', L.id), text('group', L.id), text('title', L.title), () => notNumber(`${field}.points`, r.points),
    text('leader', L.name), () => tooMany(`${field}.departments`, r.departments, L.departmentsPerTarget, (f, v) => tooLong(f, v, L.name)),
    text('leadDepartment', L.name), text('person', L.name), text('due', L.due),
    text('quality', L.requirement), text('progress', L.requirement),
  ]);
};

export function importTargetsLimits(req: unknown): Check {
  const r = fields(req);
  return first([
    actor(r), () => tooMany('targets', r.targets, L.targets, targetLimits),
    () => (r.source === undefined ? undefined : fileLimits('source', r.source)), size(req, L.importBytes),
  ]);
}
