// What each phase asks someone to deliver, who reviews it, and by when.
import { deadline, settingsOf, type CycleInput } from './cycle.js';
import type { Phase } from './phases.js';
import { ledTargets } from './target-ledger.js';
import type { Target } from './targets.js';
import { endOfDay, localDateOf, millisUntil, startOfDay } from './time.js';

export type DeliverableKind = 'plan' | 'summary' | 'evidence' | 'result' | 'bonus-list' | 'rectification' | 'progress';
export type DeliverableState = 'open' | 'in-review' | 'accepted' | 'closed';

export interface Text { zh: string; en: string }

export interface ReviewStage {
  person: string;
  role: string;
  label: Text;
  /** Fixed review deadline; when absent it is set at submission (policy.reviewWorkdays later). */
  due?: string;
}

export interface DeliverableSpec {
  id: string;
  kind: DeliverableKind;
  title: Text;
  department?: string;
  owner: string;
  ownerRole: string;
  stages: ReviewStage[];
  due: string;
  /** Escalation targets once the deadline has passed. */
  leader: string;
  director: string;
}

const stage = (person: string, role: string, zh: string, en: string, due?: string): ReviewStage =>
  ({ person, role, label: { zh, en }, ...(due && { due }) });

/** The deliverables opened when a phase begins; the phase's gate is `gateOf`. */
export function deliverablesFor(phase: Phase, c: CycleInput): DeliverableSpec[] {
  const r = c.roles;
  const own = { owner: r.coordinator, ownerRole: 'coordinator', leader: r.director, director: r.director };
  switch (phase) {
    case 'plan': {
      const approvalBy = deadline(c, 'planApproval');
      return [{
        id: 'plan', kind: 'plan', ...own, due: deadline(c, 'planSubmission'),
        title: { zh: '绩效评估工作方案及"三定"规定', en: 'Work plan and "three-determination" mandate' },
        stages: [stage(r.hrReviewer, 'hrReviewer', '市人社局初审', 'HR preliminary review', approvalBy),
          stage(r.approver, 'approver', '效能建设领导小组批复', 'Approval by the efficiency leading group', approvalBy)],
      }];
    }
    case 'summary':
      return c.departments.flatMap((d) => {
        const dept = { department: d.id, owner: d.owner, ownerRole: `owner:${d.id}`, leader: d.leader, director: r.director };
        return [{
          id: `summary-${d.id}`, kind: 'summary' as const, ...dept, due: deadline(c, 'summary'),
          title: { zh: `${d.name}年度工作总结及目标台账`, en: `${d.name}: annual summary and target ledger` },
          stages: [stage(d.leader, `leader:${d.id}`, '责任领导审核', 'Responsible leader review')],
        }, {
          id: `evidence-${d.id}`, kind: 'evidence' as const, ...dept, due: deadline(c, 'reviewStart'),
          title: { zh: `${d.name}考评佐证材料`, en: `${d.name}: evidence for the review` },
          stages: [stage(r.coordinator, 'coordinator', '局办公室归档', 'Filed by the office')],
        }];
      });
    case 'scoring':
      return [{
        id: 'result', kind: 'result', owner: r.efficiencyOffice, ownerRole: 'efficiencyOffice',
        leader: r.efficiencyOffice, director: r.director, due: deadline(c, 'scoring'), stages: [],
        title: { zh: '综合考评得分', en: 'Comprehensive review score' },
      }];
    case 'publication':
      return [{
        id: 'bonus-list', kind: 'bonus-list', ...own, due: deadline(c, 'publication'),
        title: { zh: '绩效奖金发放人员名单及金额', en: 'Performance bonus list and amounts' },
        stages: [stage(r.efficiencyOffice, 'efficiencyOffice', '市效能办备案', 'Filed with the efficiency office')],
      }];
    case 'rectification':
      return [{
        id: 'rectification', kind: 'rectification', ...own, due: deadline(c, 'rectification'),
        title: { zh: '整改情况报告', en: 'Rectification report' },
        stages: [stage(r.hrReviewer, 'hrReviewer', '市人社局审阅', 'Received by HR')],
      }];
    default:
      return [];
  }
}

/** The deliverables whose acceptance ends the phase (evidence is chased but does not hold the cycle). */
export function gateOf(phase: Phase, specs: DeliverableSpec[]): string[] {
  return specs.filter((s) => s.kind !== 'evidence').map((s) => s.id);
}

export interface ProgressPeriod { month: string; opens: string; due: string }

/**
 * The progress reports still to come from `now`: one per period of `everyMonths` months (counted from
 * January), due on `progressDay`, until the summary deadline. A period opens on the 1st of its month
 * (at once for the current one); periods already past when the targets arrive are not asked for after the fact.
 */
export function progressPeriods(c: CycleInput, now: Date): ProgressPeriod[] {
  const { progressDay, everyMonths } = settingsOf(c).tracking;
  const zone = c.timeZone;
  const out: ProgressPeriod[] = [];
  let [y, m] = localDateOf(now, zone).split('-').map(Number) as [number, number];
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    const day = `${month}-${String(progressDay).padStart(2, '0')}`;
    if (day > c.dates.summary) return out;
    const due = endOfDay(day, zone);
    if (m % everyMonths === 0 && millisUntil(due, now) >= 0) {
      out.push({ month, opens: startOfDay(`${month}-01`, zone), due });
    }
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}

/** One report per department that leads a target, reviewed by its responsible leader. */
export function progressSpecs(c: CycleInput, targets: readonly Target[], p: ProgressPeriod): DeliverableSpec[] {
  return c.departments.flatMap((d) => {
    const led = ledTargets(targets, d.id).map((t) => t.id);
    if (!led.length) return [];
    return [{
      id: `progress-${d.id}-${p.month}`, kind: 'progress' as const, department: d.id, owner: d.owner, ownerRole: `owner:${d.id}`,
      leader: d.leader, director: c.roles.director, due: p.due,
      title: { zh: `${d.name} ${p.month} 目标进展报告（${led.join('、')}）`, en: `${d.name}: progress report ${p.month} (${led.join(', ')})` },
      stages: [stage(d.leader, `leader:${d.id}`, '责任领导审核', 'Responsible leader review')],
    }];
  });
}
