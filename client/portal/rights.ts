// What a person may see and do in one cycle, decided from the cycle's directory. The workflow's
// validators check every action again; this is the API's own, earlier and wider check (it also
// covers reading, which the workflow does not guard).
import { deliverablesFor, type DeliverableSpec } from '../../domain/deliverables.js';
import { settingsOf, type CycleInput, type Roles } from '../../domain/cycle.js';
import type { AuditEntry } from '../../domain/audit.js';
import type { Delegation } from '../../domain/delegation.js';
import { PHASES } from '../../domain/phases.js';
import type { Target } from '../../domain/targets.js';
import type { DeliverableSnapshot } from '../../workflows/definitions.js';

/** The Bureau's office, its director and the efficiency office follow the whole cycle. */
const UNIT_WIDE: (keyof Roles)[] = ['coordinator', 'director', 'efficiencyOffice'];

export interface Member {
  id: string;
  name: string;
  /** Cycle roles by name (coordinator, hrReviewer, …). */
  roles: (keyof Roles)[];
  unitWide: boolean;
  /** Departments this person heads (主要负责人). */
  owns: string[];
  /** Departments this person is the responsible leader of (责任领导). */
  leads: string[];
  /** On the review team (考评组), who marks the targets. */
  reviewer: boolean;
  /** The delegations (委托) to this person that stand: they see and act on what those cover. */
  actsFor?: Delegation[];
}

/** The delegations to `m` not revoked and not ended by `today` (YYYY-MM-DD); whether one has begun is the workflow's to say. */
export function withDelegations(m: Member, delegations: readonly Delegation[] | undefined, today: string): Member {
  const actsFor = (delegations ?? []).filter((d) => d.to === m.id && !d.revokedAt && (!d.end || d.end >= today));
  return actsFor.length ? { ...m, actsFor } : m;
}

/** A colleague who is no person of the cycle, while a delegation to them stands: a member with no role of their own. */
export function delegateMember(personId: string, delegations: readonly Delegation[] | undefined, today: string): Member | undefined {
  const bare: Member = { id: personId, name: personId, roles: [], unitWide: false, owns: [], leads: [], reviewer: false };
  const m = withDelegations(bare, delegations, today);
  return m.actsFor ? { ...m, name: m.actsFor.at(-1)!.toName } : undefined;
}

/** The people `m` may act as on item `id`: themselves, and everyone whose delegation to them covers it. */
const actingAs = (m: Member, id: string): string[] =>
  [m.id, ...(m.actsFor ?? []).filter((x) => !x.deliverableId || x.deliverableId === id).map((x) => x.from)];

export function memberOf(input: CycleInput, personId: string): Member | undefined {
  const person = input.people.find((p) => p.id === personId);
  if (!person) return undefined;
  const roles = (Object.keys(input.roles) as (keyof Roles)[]).filter((r) => {
    const who = input.roles[r];
    return Array.isArray(who) ? who.includes(personId) : who === personId;
  });
  return {
    id: personId,
    name: person.name,
    roles,
    unitWide: roles.some((r) => UNIT_WIDE.includes(r)),
    owns: input.departments.filter((d) => d.owner === personId).map((d) => d.id),
    leads: input.departments.filter((d) => d.leader === personId).map((d) => d.id),
    reviewer: settingsOf(input).reviewTeam.includes(personId),
  };
}

/** Every deliverable the cycle will open, in phase order, with its owner and review stages. */
export function allSpecs(input: CycleInput): DeliverableSpec[] {
  return PHASES.flatMap((p) => deliverablesFor(p, input));
}

export function specOf(input: CycleInput, deliverableId: string): DeliverableSpec | undefined {
  return allSpecs(input).find((s) => s.id === deliverableId);
}

export function canSee(m: Member, d: Pick<DeliverableSnapshot, 'id' | 'department' | 'owner' | 'actors' | 'reviews'>, input: CycleInput): boolean {
  if (m.unitWide) return true;
  if (d.department && (m.owns.includes(d.department) || m.leads.includes(d.department))) return true;
  if (d.reviews.some((r) => r.by === m.id)) return true;
  const as = actingAs(m, d.id);
  if (as.includes(d.owner) || d.actors.some((a) => as.includes(a))) return true;
  return specOf(input, d.id)?.stages.some((s) => as.includes(s.person)) ?? false;
}

export type Verb = 'submit' | 'approve' | 'reject' | 'urge' | 'extend';

/**
 * Who may chase an item by hand, whatever its state (the workflow answers with it): urge (催办) whoever
 * must act now, the coordinator, the director and the item's responsible leader; extend (延期) its
 * deadline, the coordinator.
 */
export function whoMayChase(verb: 'urge' | 'extend', d: Pick<DeliverableSnapshot, 'id' | 'department'>, input: CycleInput): string[] {
  if (verb === 'extend') return [input.roles.coordinator];
  const leader = d.department ? input.departments.find((x) => x.id === d.department)?.leader : specOf(input, d.id)?.leader;
  return [...new Set([input.roles.coordinator, input.roles.director, ...(leader ? [leader] : [])])];
}

/**
 * Who may act. Submit: the owner only. Approve/reject: while in review, whoever the current stage
 * waits for (HR for the pre-approval, the approver for the approval); otherwise a person of one of
 * its review stages, and the workflow answers with the state it is in. Urge, extend: whoMayChase.
 */
export function mayAct(m: Member, verb: Verb, d: DeliverableSnapshot, input: CycleInput): boolean {
  if (verb === 'urge' || verb === 'extend') return whoMayChase(verb, d, input).includes(m.id);
  const as = actingAs(m, d.id);
  if (verb === 'submit') return as.includes(d.owner);
  if (d.state === 'in-review') return d.actors.some((a) => as.includes(a));
  return specOf(input, d.id)?.stages.some((s) => as.includes(s.person)) ?? false;
}

export function whoMayAct(verb: Verb, d: DeliverableSnapshot, input: CycleInput): string[] {
  if (verb === 'urge' || verb === 'extend') return whoMayChase(verb, d, input);
  if (verb === 'submit') return [d.owner];
  if (d.state === 'in-review') return d.actors;
  return specOf(input, d.id)?.stages.map((s) => s.person) ?? [];
}

const CYCLE_EVENTS = new Set(['cycle-started', 'phase-changed', 'review-window-opened', 'review-window-closed', 'scoring-prepared', 'cycle-closed']);

/** The audit entries a person may read: everything for the unit-wide roles; otherwise the cycle's own events, their own actions and what they may see. */
export function visibleAudit(m: Member, entries: AuditEntry[], visibleIds: Set<string>): AuditEntry[] {
  if (m.unitWide) return entries;
  return entries.filter((e) => e.actor === m.id || e.onBehalfOf === m.id || CYCLE_EVENTS.has(e.action)
    || e.subject.split(',').some((s) => visibleIds.has(s)));
}

// ---- the target ledger and the score sheet (issue 3) ----

/** What may be done to the ledger and the score sheet; the names are the CycleClient's, as in the audit. */
export type LedgerAction = 'importTargets' | 'fileEvidence' | 'markTarget' | 'enterFigure' | 'setVetoes' | 'bonus';

/**
 * Who may: the coordinator imports the target table; a head of one of a target's departments files its
 * evidence; the review team marks; the efficiency office enters figures and vetoes; the coordinator or the
 * efficiency office makes the bonus list. The workflow's validators check the same again.
 */
export function whoMayLedger(action: LedgerAction, input: CycleInput, target?: Pick<Target, 'departments'>): string[] {
  switch (action) {
    case 'importTargets': return [input.roles.coordinator];
    case 'fileEvidence': return input.departments.filter((d) => target?.departments.includes(d.id)).map((d) => d.owner);
    case 'markTarget': return settingsOf(input).reviewTeam;
    case 'enterFigure':
    case 'setVetoes': return [input.roles.efficiencyOffice];
    case 'bonus': return [input.roles.coordinator, input.roles.efficiencyOffice];
  }
}

export const mayLedger = (m: Member, action: LedgerAction, input: CycleInput, target?: Pick<Target, 'departments'>): boolean =>
  whoMayLedger(action, input, target).includes(m.id);

/** The whole ledger for the unit-wide roles and the review team; otherwise the targets of one's departments. */
export function canSeeTarget(m: Member, t: Pick<Target, 'departments' | 'leader'>): boolean {
  return m.unitWide || m.reviewer || t.leader === m.id || t.departments.some((d) => m.owns.includes(d) || m.leads.includes(d));
}
