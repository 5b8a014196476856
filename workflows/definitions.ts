// The messages between clients, the cycle workflow and its deliverable children.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeliverableKind, DeliverableSpec, DeliverableState, Text } from '../domain/deliverables.js';
import type { Phase } from '../domain/phases.js';
import type { CalendarKey, CycleInput } from '../domain/cycle.js';
import type { AuditEntry, AuditInput } from '../domain/audit.js';
import type { Notice } from '../domain/notices.js';

export interface FileRef { name: string; sha256: string; size: number }

export interface Submission { at: string; by: string; note?: string; files: FileRef[] }

export interface ReviewRecord { at: string; by: string; role: string; decision: 'approved' | 'rejected'; reason?: string }

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
  submissions: Submission[];
  reviews: ReviewRecord[];
  /** Grows with every change, so a client can wait until the cycle has seen its own action. */
  version: number;
}

export interface DeliverableArgs {
  cycleId: string;
  spec: DeliverableSpec;
  policy: CycleInput['policy'];
  workCalendar: CycleInput['workCalendar'];
  timeZone: string;
}

export interface CycleArgs { cycle: CycleInput; startedBy: string }

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
}

export interface SubmitRequest { actor: string; note?: string; files?: FileRef[] }
export interface ApproveRequest { actor: string; comment?: string }
export interface RejectRequest { actor: string; reason: string; /** New due date YYYY-MM-DD; default policy.resubmitWorkdays working days on. */ due?: string }
export interface Refusal { actor: string; action: string; subject: string; reason: string }

export interface DeliverableEvent { snapshot: DeliverableSnapshot; audit?: AuditInput[]; notices?: Notice[] }

export const submitUpdate = defineUpdate<DeliverableSnapshot, [SubmitRequest]>('submit');
export const approveUpdate = defineUpdate<DeliverableSnapshot, [ApproveRequest]>('approve');
export const rejectUpdate = defineUpdate<DeliverableSnapshot, [RejectRequest]>('reject');
export const closeSignal = defineSignal<[string]>('close');
export const deliverableQuery = defineQuery<DeliverableSnapshot>('deliverable');

export const deliverableEventSignal = defineSignal<[DeliverableEvent]>('deliverableEvent');
export const refusalSignal = defineSignal<[Refusal]>('refusal');
export const statusQuery = defineQuery<CycleStatus>('status');
export const auditQuery = defineQuery<AuditEntry[]>('audit');
