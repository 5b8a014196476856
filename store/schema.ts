// The application database's tables, as Kysely sees them. The migrations in ./migrations make them;
// this file only describes them for the query builder.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface AuditTable {
  cycle_id: string;
  /** Position in the cycle's chain, 1, 2, …, given by the database under the cycle's lock. */
  pos: number;
  /** What makes a write idempotent: `<workflowId>#<seq>` for workflow entries, `api:<uuid>` for refusals. */
  source_key: string;
  at: string;
  actor: string;
  role: string;
  action: string;
  subject: string;
  detail: string | null;
  workflow_id: string;
  /** Whom the actor acted for (委托); null when for themselves. */
  on_behalf_of: ColumnType<string | null, string | null | undefined, string | null>;
  prev_hash: string;
  hash: string;
  stored_at: Generated<Date>;
}

export interface AuditHeadTable {
  cycle_id: string;
  pos: number;
  hash: string;
}

export interface CycleTable {
  cycle_id: string;
  unit_id: string;
  year: number;
  /** The resolved cycle input: people, roles, departments, calendar (the cycle's directory). */
  input: Json | null;
  registered_at: Generated<Date>;
  /** Written once the cycle closes: phase, deliverables, scores, grade. */
  final_status: Json | null;
  closed_at: Timestamp | null;
  review_package: Json | null;
}

export interface AccountTable {
  id: string;
  name: string;
  email: string;
  lang: string;
  password_hash: string | null;
  /** Raised on a password change or "sign out everywhere": older sessions stop counting. */
  epoch: number;
  ical_token: string;
  created_at: Generated<Date>;
  phone: string | null;
  unit_id: string | null;
  department_id: string | null;
  /** A directory administrator (may import and edit the directory, start any cycle). */
  admin: Generated<boolean>;
}

export interface OrgUnitTable {
  id: string;
  name: string;
  /** The person who may start the unit's cycles (局办公室). */
  coordinator_id: string | null;
}

export interface OrgDepartmentTable {
  unit_id: string;
  id: string;
  name: string;
}

export interface CycleMemberTable {
  cycle_id: string;
  account_id: string;
}

export interface SessionTable {
  /** SHA-256 of the bearer token: the token itself is only with the person. */
  token_hash: string;
  account_id: string;
  method: string;
  epoch: number;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface SigninLinkTable {
  token_hash: string;
  account_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface MailLedgerTable {
  message_id: string;
  mail_key: string;
  recipient: string;
  subject: string;
  state: 'sending' | 'sent';
  /** Which attempt holds the claim, and until when (renewed while it sends). */
  owner: string | null;
  lease_until: Timestamp | null;
  attempts: number;
  sent_at: Timestamp | null;
  delivered_to: string | null;
  updated_at: Generated<Date>;
  /** The cycle the mail belongs to (its key starts with the cycle's workflow id), and its recipient. */
  cycle_id: string | null;
  person_id: string | null;
  /** Attempts that failed, including one cut off by a stopped worker; kept once sent. */
  failures: Generated<number>;
  /** The last failure while not yet sent ('busy', 'unreachable', …); cleared when sent. */
  last_error_kind: string | null;
  last_error: string | null;
  /** The first and the latest failure. */
  failed_since: Timestamp | null;
  last_failed_at: Timestamp | null;
  /** 'email', 'dingtalk' or 'wecom' (issue 9); the robot a chat message went to (its short hash, never its address). */
  channel: ColumnType<string, string | undefined, string>;
  robot_id: string | null;
}

export interface NoticeRobotTable {
  unit_id: string;
  /** '' for the unit's own robot. */
  department_id: string;
  channel: string;
  /** Credentials (the token or key is in the address): read only by the worker's activity, never returned. */
  webhook: string;
  secret: string | null;
  robot_id: string;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface NoticePreferenceTable {
  person_id: string;
  /** Comma-separated, in the person's order. */
  channels: string;
  quiet_start: string | null;
  quiet_end: string | null;
  updated_at: Generated<Date>;
}

export interface FileTable {
  sha256: string;
  size: number;
  name: string;
  uploaded_by: string;
  uploaded_at: Generated<Date>;
}

export interface FileUploadTable {
  sha256: string;
  uploaded_by: string;
  uploaded_at: Generated<Date>;
}

export interface FileUseTable {
  sha256: string;
  cycle_id: string;
  /** The deliverable or target the file was handed in for. */
  subject: string;
  kind: 'submission' | 'evidence' | 'targets';
  used_by: string;
  used_at: Generated<Date>;
}

export interface Database {
  audit_entries: AuditTable;
  audit_heads: AuditHeadTable;
  cycles: CycleTable;
  accounts: AccountTable;
  cycle_members: CycleMemberTable;
  org_units: OrgUnitTable;
  org_departments: OrgDepartmentTable;
  sessions: SessionTable;
  signin_links: SigninLinkTable;
  mail_ledger: MailLedgerTable;
  files: FileTable;
  file_uploads: FileUploadTable;
  file_uses: FileUseTable;
  notice_robots: NoticeRobotTable;
  notice_preferences: NoticePreferenceTable;
}
