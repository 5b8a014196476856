// The scripts the portal's pages load from the app itself, never from a CDN: Chart.js's prebuilt UMD
// build as npm installed it, and the portal's own code that draws the charts (static/charts.js). Each
// is read once, on first use; its address carries its content's hash, so it may be cached for a year
// and a new version is a new address; the page names it with its SRI hash as well.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  name: string;
  type: string;
  bytes: Buffer;
  /** Where a page loads it: /assets/<name>?v=<hash>. */
  url: string;
  /** Subresource integrity: the browser refuses the file if its bytes differ. */
  integrity: string;
}

const FILES: Record<string, () => string> = {
  // The package's "exports" give its CommonJS entry (dist/chart.cjs): the UMD build lies beside it.
  'chart.umd.min.js': () => join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'),
  'charts.js': () => fileURLToPath(new URL('./static/charts.js', import.meta.url)),
};

let loaded: Map<string, Asset> | undefined;

function load(): Map<string, Asset> {
  loaded ??= new Map(Object.entries(FILES).map(([name, path]) => {
    const bytes = readFileSync(path());
    const hash = (alg: string, enc: 'hex' | 'base64') => createHash(alg).update(bytes).digest(enc);
    return [name, { name, type: 'text/javascript; charset=utf-8', bytes, url: `/assets/${name}?v=${hash('sha256', 'hex').slice(0, 16)}`, integrity: `sha384-${hash('sha384', 'base64')}` }];
  }));
  return loaded;
}

export function asset(name: string): Asset | undefined {
  return load().get(name);
}

/** The chart library, then the code that draws the page's charts from its JSON data. */
export const CHART_SCRIPTS = ['chart.umd.min.js', 'charts.js'] as const;
