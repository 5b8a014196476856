// What the city's grading needs from each running cycle: its unit, final score and vetoes, read with
// the cycle's own queries. The Temporal client is the worker's (activity context) unless one is injected.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { cycleQuery, scoreQuery, type CollectedUnit } from '../workflows/definitions.js';

export interface GradingDeps { temporalClient?: () => Client }

export function createGradingActivities(deps: GradingDeps) {
  return {
    /** Fails without retry when a cycle's score is incomplete: grading must not guess a missing figure. */
    async collectUnitScores({ cycleIds }: { cycleIds: string[] }): Promise<CollectedUnit[]> {
      const client = deps.temporalClient?.() ?? Context.current().client;
      const out: CollectedUnit[] = [];
      const incomplete: string[] = [];
      for (const cycleId of cycleIds) {
        const handle = client.workflow.getHandle(cycleId);
        const [cycle, score] = await Promise.all([handle.query(cycleQuery), handle.query(scoreQuery)]);
        if (!score.view.complete) {
          incomplete.push(`${cycleId}: ${score.view.missing.map((m) => `${m.zh} / ${m.en}`).join('; ')}`);
          continue;
        }
        out.push({ cycleId, unit: cycle.unit.name, score: score.view.breakdown.finalScore, vetoes: score.vetoes });
      }
      if (incomplete.length) {
        throw ApplicationFailure.nonRetryable(`得分不完整，不能评定等次 / incomplete scores, cannot grade:\n${incomplete.join('\n')}`, 'IncompleteScore');
      }
      return out;
    },
  };
}
