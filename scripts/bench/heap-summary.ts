// Prints what a V8 heap snapshot holds, by kind of object (self sizes, the largest first):
//   npx tsx scripts/bench/heap-summary.ts worker-thread-0.heapsnapshot [--top 30]
// Enough to see what a cached workflow costs (scripts/bench/heap-snapshot.ts takes the snapshot);
// Chrome DevTools reads the same file for retainers.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

const { positionals, values } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' } } });
const file = positionals[0];
if (!file) throw new Error('usage: heap-summary.ts <file.heapsnapshot> [--top N]');
const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const fields = s.snapshot.meta.node_fields;
const [type, name, size] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
const types = s.snapshot.meta.node_types[0];
const kinds = new Map<string, { bytes: number; count: number }>();
let total = 0;
for (let i = 0; i < s.nodes.length; i += fields.length) {
  const t = types[s.nodes[i + type]!]!;
  // Strings and code are many, each its own name: count them as one kind each.
  const n = /string|code/.test(t) ? '' : s.strings[s.nodes[i + name]!]!.slice(0, 60);
  const k = kinds.get(`${t} ${n}`) ?? { bytes: 0, count: 0 };
  k.bytes += s.nodes[i + size]!;
  k.count += 1;
  kinds.set(`${t} ${n}`, k);
  total += s.nodes[i + size]!;
}
const mib = (b: number) => (b / 2 ** 20).toFixed(2).padStart(8);
console.log(`${mib(total)} MiB in all`);
for (const [k, v] of [...kinds].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(values.top))) {
  console.log(`${mib(v.bytes)} ${String(v.count).padStart(8)}  ${k}`);
}
