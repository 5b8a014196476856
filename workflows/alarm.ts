// One timer for the timed waits of a cycle's held items. Each item's chase waits for its next instant,
// and the items of a phase share theirs (sixteen summaries due the same day are chased at the same
// second): a timer each cost the task that opens a phase sixteen commands, and a year two events per
// item and instant. The cycle keeps one timer, for the earliest instant any item waits for, and moves
// it when that changes.
import { condition } from '@temporalio/workflow';

export interface Alarm {
  /** Keeps the timer; returns once `stopped()` (the run continues as new). */
  run(): Promise<void>;
  /** Waits until `done()` or `ms` have passed (true when `done()`), or `stopped()`. */
  wait(done: () => boolean, ms: number): Promise<boolean>;
}

export function createAlarm(stopped: () => boolean): Alarm {
  /** Each instant waited for (epoch ms), and how many wait for it. */
  const wanted = new Map<number, number>();
  /** The workflow's time when the timer last fired: every wait for an instant up to it is over. */
  let rang = -Infinity;
  const now = () => new Date().getTime();
  const earliest = () => Math.min(...wanted.keys());

  return {
    async run() {
      for (;;) {
        // The waits the last ring ended leave first (they do so in this same task).
        await condition(() => stopped() || (wanted.size > 0 && earliest() > rang));
        if (stopped()) return;
        const at = earliest();
        if (at <= now()) {
          rang = now();
          continue;
        }
        const moved = await condition(() => stopped() || wanted.size === 0 || earliest() !== at, at - now());
        if (!moved) rang = now();
      }
    },

    async wait(done, ms) {
      const at = now() + ms;
      wanted.set(at, (wanted.get(at) ?? 0) + 1);
      try {
        await condition(() => done() || stopped() || rang >= at);
      } finally {
        const left = (wanted.get(at) ?? 1) - 1;
        if (left > 0) wanted.set(at, left);
        else wanted.delete(at);
      }
      return done();
    },
  };
}
