// The order files start in: vitest's (the longest first, from its cache of earlier runs), except that the
// browser test waits for a first file to end. Chromium takes a core of its own for a minute; started beside
// the two other longest files (closed-cycle, mail-crash, all three at once on two cores), their workers'
// workflow tasks ran 8–15 s, past Temporal's 10 s task timeout, and an action answered "busy" (seen twice
// in two runs; never with the browser later).
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LATER = /test\/portal\/browser\.test\.ts$/;

export class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const at = sorted.findIndex((f) => LATER.test(f.moduleId));
    const workers = Number(this.ctx.config.maxWorkers) || 1;
    if (at < 0 || at >= workers) return sorted;
    const [browser] = sorted.splice(at, 1);
    sorted.splice(Math.min(workers, sorted.length), 0, browser!);
    return sorted;
  }
}
