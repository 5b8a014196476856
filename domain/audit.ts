// One line of the audit: who did what to which thing, when, in which workflow.
export type AuditAction =
  | 'cycle-started' | 'phase-changed' | 'deliverable-opened' | 'submitted' | 'approved' | 'rejected'
  | 'reminder-sent' | 'escalated' | 'mail-failed' | 'mail-delayed' | 'refused' | 'review-window-opened'
  | 'review-window-closed' | 'scoring-prepared' | 'deliverable-closed' | 'cycle-closed'
  // chasing by hand (issue 11): an urge to whoever must act, a deadline moved by the coordinator
  | 'urged' | 'deadline-extended'
  // 委托 / 转办: an item or a span of days handed to a colleague, and taken back
  | 'delegated' | 'delegation-revoked'
  // targets, evidence, scores and grades (issue 3)
  | 'targets-imported' | 'evidence-filed' | 'target-marked' | 'mark-corrected' | 'figure-entered'
  | 'figure-corrected' | 'vetoes-set' | 'graded' | 'result-published'
  // the organisation directory, in its own chain `directory` (issue 8)
  | 'directory-imported' | 'person-added' | 'person-changed' | 'admin-granted' | 'admin-revoked' | 'coordinator-set'
  // notice channels (issue 9): robots set or removed, a person's channels; a chat message refused for good, sent by e-mail instead
  | 'robot-set' | 'robot-removed' | 'notice-preference-set' | 'notice-fallback';

export interface AuditInput {
  actor: string;
  role: string;
  action: AuditAction;
  subject: string;
  detail?: string;
  /** Whom the actor acted for, under a delegation (委托), or whose work the coordinator handed on (转办). */
  onBehalfOf?: string;
}

export interface AuditEntry extends AuditInput {
  seq: number;
  /** ISO-8601 with the cycle's offset. */
  at: string;
  workflowId: string;
}

export const AUDIT_COLUMNS = ['seq', 'at', 'actor', 'role', 'action', 'subject', 'detail', 'workflowId', 'onBehalfOf'] as const;

export const SYSTEM = 'system';
