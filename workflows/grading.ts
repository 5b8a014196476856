// The city's grading across all participating units (评估等次), one run per year: collects each running
// cycle's final score and vetoes, adds the units outside the system, grades them all with the pure
// gradeUnits, and hands every cycle its grade, rank and reason.
import { ApplicationFailure, getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { gradeUnits, type GradedUnit } from '../domain/grading.js';
import { DEFAULT_ZONE, toZonedIso } from '../domain/time.js';
import { gradeSignal, gradingResultQuery, type GradingArgs, type GradingResult } from './definitions.js';

const { collectUnitScores } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['IncompleteScore'] },
});

export async function cityGrading(args: GradingArgs): Promise<GradingResult> {
  const { workflowId, runId } = workflowInfo();
  let result: GradingResult | null = null;
  setHandler(gradingResultQuery, () => result);

  const collected = await collectUnitScores({ cycleIds: args.cycles });
  let graded: GradedUnit[];
  try {
    graded = gradeUnits([...collected.map(({ unit, score, vetoes }) => ({ unit, score, vetoes })), ...args.external], args.rules);
  } catch (err) {
    // Bad input (a duplicate unit, an unknown veto) stays bad: fail the run instead of retrying the task.
    throw ApplicationFailure.nonRetryable((err as Error).message, 'InvalidGradingInput');
  }
  const cycleOf = new Map(collected.map((c) => [c.unit, c.cycleId]));
  const units: GradingResult['units'] = graded.map((u) => ({ ...u, ...(cycleOf.has(u.unit) && { cycleId: cycleOf.get(u.unit) }) }));
  for (const u of units) {
    if (!u.cycleId) continue;
    try {
      await getExternalWorkflowHandle(u.cycleId).signal(gradeSignal, {
        gradingId: `${workflowId}@${runId}`, year: args.year, grade: u.grade, rank: u.rank, units: units.length, score: u.score, reason: u.reason, by: args.startedBy,
      });
      u.delivered = true;
    } catch {
      // The cycle ended meanwhile: the result still stands and is listed as not delivered.
      u.delivered = false;
    }
  }
  result = { year: args.year, gradedAt: toZonedIso(new Date(), args.timeZone ?? DEFAULT_ZONE), startedBy: args.startedBy, units };
  return result;
}
