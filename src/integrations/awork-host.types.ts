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
