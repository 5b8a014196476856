// The messages between clients, the cycle workflow and its deliverable children.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeliverableKind, DeliverableSpec, DeliverableState, Text } from '../domain/deliverables.js';
import type { Phase } from '../domain/phases.js';
import type { CalendarKey, CycleInput } from '../domain/cycle.js';
import type { AuditEntry, AuditInput } from '../domain/audit.js';
import type { Notice } from '../domain/notices.js';
import type { Target } from '../domain/targets.js';
import type { EvidenceCategory } from '../domain/target-ledger.js';
import type { FigureEntry, FigureName, MarkEntry, ScoreView } from '../domain/score-sheet.js';
import type { Grade, GradedUnit, GradingRulesInput, UnitScore } from '../domain/grading.js';
import type { Sanction } from '../domain/bonus.js';
import type { Delegation } from '../domain/delegation.js';

export interface FileRef { name: string; sha256: string; size: number }

/** `for`: whom `by` acted for, under a delegation (委托). */
export interface Submission { at: string; by: string; for?: string; note?: string; files: FileRef[] }

export interface ReviewRecord { at: string; by: string; for?: string; role: string; decision: 'approved' | 'rejected'; reason?: string }

export interface DeliverableSnapshot {
  id: string;
  kind: DeliverableKind;
  title: Text;
  department?: string;
  owner: string;
  state: DeliverableState;
  /** Index of the review stage now waiting (when in review). */
  stage: number;
  /** Who may act on it now. */
  actors: string[];
  /** The deadline of whoever must act now (the owner's, or the reviewer's while in review). */
  due: string;
  /** The owner's deadline when it is not `due` (in review, accepted): the first, or as a send-back or extension moved it. */
  ownerDue?: string;
  submissions: Submission[];
  reviews: ReviewRecord[];
  /** Grows with every change, so a client can wait until the cycle has seen its own action. */
  version: number;
  /** The latest urge (催办) of each person urged; absent until someone urges. */
  urged?: UrgeRecord[];
}

/** An urge: `to` (who had to act) was urged by `by` at `at`. */
export interface UrgeRecord { to: string; by: string; at: string }

export interface DeliverableArgs {
  cycleId: string;
  spec: DeliverableSpec;
  policy: CycleInput['policy'];
  workCalendar: CycleInput['workCalendar'];
  timeZone: string;
  /** The cycle's coordinator, who may urge and extend; absent in deliverables started before chasing by hand. */
  coordinator?: string;
  /** The delegations in force that concern it when it starts; absent when there are none. */
  delegations?: Delegation[];
}

export interface CycleArgs {
  cycle: CycleInput;
  startedBy: string;
  /** The state a run hands to the next when it continues as new. */
  carry?: CycleCarry;
  /** History events after which a run continues as new (default CONTINUE_AS_NEW_AFTER; tests set it low). */
  continueAsNewAfter?: number;
}

export interface CycleCarry {
  /** The step of the cycle's walk in progress (workflows/cycle.ts). */
  step: number;
  seq: number;
  phase: Phase;
  reviewWindow: CycleStatus['reviewWindow'];
  collected: { scoringPackage?: string };
  deliverables: DeliverableSnapshot[];
  /** Audit entries recorded but not yet stored. */
  audit: AuditEntry[];
  pending: Notice[];
  digestsSent: [string, number][];
  published: number;
  ledger: LedgerState;
  /** Per deliverable: the last event version applied, and events that arrived ahead of their turn. */
  applied: [string, number][];
  held: DeliverableEvent[];
  /** Mails still being retried. */
  deliveries: Delivery[];
  delegations?: Delegation[];
  /** Set by runs that hold their items themselves (workflows/held-items.ts); absent: each item is a child workflow. */
  itemsHeld?: true;
  /** The open items of such a run, to go on chasing where it stopped. */
  items?: HeldItemState[];
}

/** An open item as a run of the cycle hands it to the next. */
export interface HeldItemState { spec: DeliverableSpec; snapshot: DeliverableSnapshot; escalations: number; chasedToMs: number }

/** One person's mail of one slot, kept under the same key through every retry. */
export interface Delivery { to: string; slot: string; notices: Notice[]; key: string; attempts: number }

export interface LedgerState {
  imported: TargetsView;
  evidence: EvidenceItem[];
  marks: MarkEntry[];
  figures: FigureEntry[];
  vetoes?: string[];
  grades: (GradeNotice & { receivedAt: string })[];
}

export interface CycleStatus {
  cycleId: string;
  unit: CycleInput['unit'];
  year: number;
  timeZone: string;
  phase: Phase;
  phaseLabel: Text;
  dates: Record<CalendarKey, string>;
  reviewWindow: 'not-open' | 'open' | 'closed';
  deliverables: DeliverableSnapshot[];
  scoringPackage?: string;
  /** Present once a target table was imported. */
  targets?: { count: number; importedAt: string; importedBy: string; source?: FileRef };
  /** The unit's final score once every figure is in. */
  finalScore?: number;
  vetoes?: string[];
  /** The latest grade handed down by the city's grading, with what follows from it. */
  grade?: GradeNotice & { receivedAt: string; nextYearExcellentShare: number; sanctions: Sanction[] };
  /** Every delegation (委托) made in the cycle, revoked ones too; absent until the first. */
  delegations?: Delegation[];
}

// ---- targets, evidence, scores and grades (cycle Updates; validators refuse with refuse()) ----

export interface ImportTargetsRequest { actor: string; targets: Target[]; source?: FileRef }
export interface TargetsView { targets: Target[]; importedAt?: string; importedBy?: string; source?: FileRef }

export interface FileEvidenceRequest { actor: string; targetId: string; category: EvidenceCategory; file: FileRef; note?: string }
export interface EvidenceItem { seq: number; targetId: string; category: EvidenceCategory; file: FileRef; by: string; at: string; note?: string }
export interface TargetEvidence { targetId: string; title: string; departments: string[]; leadDepartment: string; items: EvidenceItem[] }

export interface MarkRequest { actor: string; targetId: string; mark: number; note?: string; /** Required to change an existing mark. */ reason?: string }
export interface FigureRequest { actor: string; figure: FigureName; value: number | null; source: string; /** Required to change an entered figure. */ reason?: string }
export interface VetoRequest { actor: string; vetoes: string[]; source: string; /** Required to change vetoes already set. */ reason?: string }

export interface ScoreState { view: ScoreView; marks: MarkEntry[]; figures: FigureEntry[]; vetoes: string[]; vetoesSet: boolean }

/** What the city's grading hands each cycle (and the cycle mails to the unit). */
export interface GradeNotice { gradingId: string; year: number; grade: Grade; rank: number; units: number; score: number; reason: string; by: string }


export interface SubmitRequest { actor: string; note?: string; files?: FileRef[] }
export interface ApproveRequest { actor: string; comment?: string }
export interface RejectRequest { actor: string; reason: string; /** New due date YYYY-MM-DD; default policy.resubmitWorkdays working days on. */ due?: string }
/** 催办: whoever must act now is mailed at once; once a day per person urged. */
export interface UrgeRequest { actor: string; message?: string }
/** 延期: the deadline of whoever must act now moves to the end of `due` (YYYY-MM-DD, after today). */
export interface ExtendRequest { actor: string; due: string; reason: string }
/**
 * 委托 / 转办: `from` (default: the actor) hands one item, or all their items from `start` to `end`, to `to`.
 * The actor is `from`, or the coordinator handing someone's work on; `toName` is the directory's name.
 */
export interface DelegateRequest { actor: string; from?: string; to: string; toName: string; deliverableId?: string; start?: string; end?: string; reason?: string }
export interface RevokeDelegationRequest { actor: string; id: number }
export interface Refusal { actor: string; action: string; subject: string; reason: string }

export interface DeliverableEvent { snapshot: DeliverableSnapshot; audit?: AuditInput[]; notices?: Notice[] }

export const submitUpdate = defineUpdate<DeliverableSnapshot, [SubmitRequest]>('submit');
export const approveUpdate = defineUpdate<DeliverableSnapshot, [ApproveRequest]>('approve');
export const rejectUpdate = defineUpdate<DeliverableSnapshot, [RejectRequest]>('reject');
export const urgeUpdate = defineUpdate<DeliverableSnapshot, [UrgeRequest]>('urge');
export const extendUpdate = defineUpdate<DeliverableSnapshot, [ExtendRequest]>('extend');
export const closeSignal = defineSignal<[string]>('close');
/** The cycle's delegations that concern a deliverable, whole, whenever they change. */
export const delegationsSignal = defineSignal<[Delegation[]]>('delegations');
export const deliverableQuery = defineQuery<DeliverableSnapshot>('deliverable');

/** An action on an item the cycle holds: the item's own request, naming the item. */
export type OnItem<R> = R & { deliverableId: string };
export const itemSubmitUpdate = defineUpdate<DeliverableSnapshot, [OnItem<SubmitRequest>]>('item.submit');
export const itemApproveUpdate = defineUpdate<DeliverableSnapshot, [OnItem<ApproveRequest>]>('item.approve');
export const itemRejectUpdate = defineUpdate<DeliverableSnapshot, [OnItem<RejectRequest>]>('item.reject');
export const itemUrgeUpdate = defineUpdate<DeliverableSnapshot, [OnItem<UrgeRequest>]>('item.urge');
export const itemExtendUpdate = defineUpdate<DeliverableSnapshot, [OnItem<ExtendRequest>]>('item.extend');

export const deliverableEventSignal = defineSignal<[DeliverableEvent]>('deliverableEvent');
export const refusalSignal = defineSignal<[Refusal]>('refusal');
export const statusQuery = defineQuery<CycleStatus>('status');
export const auditQuery = defineQuery<AuditEntry[]>('audit');

export const importTargetsUpdate = defineUpdate<TargetsView, [ImportTargetsRequest]>('importTargets');
export const fileEvidenceUpdate = defineUpdate<EvidenceItem, [FileEvidenceRequest]>('fileEvidence');
export const markTargetUpdate = defineUpdate<MarkEntry, [MarkRequest]>('markTarget');
export const enterFigureUpdate = defineUpdate<FigureEntry, [FigureRequest]>('enterFigure');
export const setVetoesUpdate = defineUpdate<string[], [VetoRequest]>('setVetoes');
export const gradeSignal = defineSignal<[GradeNotice]>('grade');
export const delegateUpdate = defineUpdate<Delegation, [DelegateRequest]>('delegate');
export const revokeDelegationUpdate = defineUpdate<Delegation, [RevokeDelegationRequest]>('revokeDelegation');
export const cycleQuery = defineQuery<CycleInput>('cycle');
export const targetsQuery = defineQuery<TargetsView>('targets');
export const evidenceQuery = defineQuery<TargetEvidence[]>('evidence');
export const scoreQuery = defineQuery<ScoreState>('score');

// ---- the city's grading across units (workflow cityGrading, id perfcycle-grading-<year>) ----

export interface GradingArgs {
  year: number;
  /** Running cycles whose final score and vetoes are collected. */
  cycles: string[];
  /** Units outside the system, entered as they are. */
  external: UnitScore[];
  rules?: GradingRulesInput;
  startedBy: string;
  /** The city's zone for the result's timestamp (default Asia/Shanghai). */
  timeZone?: string;
}
export interface CollectedUnit extends UnitScore { cycleId: string }
export interface GradingResult {
  year: number;
  gradedAt: string;
  startedBy: string;
  units: (GradedUnit & { cycleId?: string; delivered?: boolean })[];
}
export const gradingResultQuery = defineQuery<GradingResult | null>('gradingResult');

export const gradingIdOf = (year: number) => `perfcycle-grading-${year}`;
