// The language of AworkHostPort: what crosses between awork (the host) and an integration.

/** Inclusive calendar dates `YYYY-MM-DD`. */
export interface DateRange {
  start: string;
  end: string;
}

export interface HostWorkspace {
  id: string;
  plan: string;
  timeZone: string;
}

export interface HostUser {
  id: string;
  email: string;
  name: string;
}

/** An awork absence as the integration says it should be now. */
export interface DesiredAbsence {
  externalId: string;
  userId: string;
  startOn: string;
  endOn: string;
  isHalfDayOnStart: boolean;
  isHalfDayOnEnd: boolean;
  description: string | null;
  /** Came from a period without an end (its endOn is the window end for now). */
  openEnded: boolean;
}

/** An absence this integration transferred earlier (externally sourced), with its awork id. */
export interface StoredExternalAbsence extends DesiredAbsence {
  id: string;
}

export interface AbsenceChangeSet {
  creates: DesiredAbsence[];
  /** The stored awork id with the new field values. */
  updates: StoredExternalAbsence[];
  /** awork ids. */
  deletes: string[];
  unchanged: number;
}

export interface AppliedAbsenceChanges {
  created: number;
  updated: number;
  deleted: number;
}

declare const hostTransactionBrand: unique symbol;

/**
 * The host's open write transaction, handed to an integration's gate so that it reads its own rows
 * inside it. Opaque: only the database layer (src/database/host-transaction.ts) opens it.
 */
export interface HostTransaction {
  readonly [hostTransactionBrand]: true;
}

/**
 * Runs inside the host's write transaction, before anything is written: returns the change set to
 * write (the one planned, or an altered copy), or null to write nothing.
 */
export type ChangeSetGate = (transaction: HostTransaction) => Promise<AbsenceChangeSet | null>;

/** A manual awork absence (no integration owns it): the user's own entry, editable. */
export interface ManualAbsence {
  id: string;
  userId: string;
  startOn: string;
  endOn: string;
  isHalfDayOnStart: boolean;
  isHalfDayOnEnd: boolean;
  description: string | null;
}

/**
 * A manual absence with the absences of one provider that belong to the same user and share at
 * least one calendar day with it (half days not yet considered: the integration's rule decides).
 */
export interface ManualAbsenceOverlap {
  manual: ManualAbsence;
  external: StoredExternalAbsence[];
}

/**
 * Deleting manual absences on an integration's say-so, all or nothing, inside one host transaction:
 * `begin` runs first (false: nothing is written), then the host reads the requested manual absences
 * with their overlaps, locked against concurrent edits and syncs until the commit, and `decide`
 * names the ids to delete (null: none).
 */
export interface ManualAbsenceDeletion {
  begin(transaction: HostTransaction): Promise<boolean>;
  decide(found: ManualAbsenceOverlap[]): string[] | null;
}

/** How a manual-absence deletion ended: `declined` = `begin` or `decide` said no, nothing written. */
export type ManualAbsenceDeletionResult = { kind: 'deleted'; count: number } | { kind: 'declined' };

/** What an integration tells a workspace's admins (awork: its notification centre). */
export interface AdminNotification {
  /** Stable machine-readable kind, e.g. `personio.needs_reauth`. */
  kind: string;
  /** What happened, in one line. */
  title: string;
  /** What happened and what to do about it. */
  message: string;
}
