// The shapes of the API's JSON (src/**/dto), as the page reads them.

export type Role = 'admin' | 'member';

export interface Me {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export type User = Me;

export interface Workspace {
  id: string;
  name: string;
  plan: string;
  timeZone: string;
}

export interface Absence {
  id: string;
  userId: string;
  startOn: string;
  endOn: string;
  isHalfDayOnStart: boolean;
  isHalfDayOnEnd: boolean;
  description: string | null;
  externalProvider: string | null;
  externalId: string | null;
  isReadOnly: boolean;
}

export interface SyncRun {
  id: string;
  trigger: 'schedule' | 'manual' | 'setup' | 'webhook';
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  fetched: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  skipped: number;
  invalid: number;
  /** Issue 15: manual absences that duplicate transferred ones. */
  duplicates?: number;
  error: string | null;
}

export interface PersonioStatus {
  connected: true;
  clientId: string;
  hideAbsenceDetails: boolean;
  status: 'active' | 'needs_reauth' | 'failing' | 'plan_inactive';
  lastError: string | null;
  lastRun: SyncRun | null;
  nextRunAt: string | null;
  webhooks: { state: 'active' | 'unavailable' | 'off'; reason: string | null; lastEventAt: string | null };
  excludedAbsenceTypeIds?: string[];
}

export interface MatchedPerson {
  userId: string;
  email: string;
  personioPersonId: string;
  name: string;
  /** Issue 15: how the pair was made. */
  matchedBy?: 'email' | 'link';
}

export interface UnmatchedPersonioPerson {
  personioPersonId: string;
  email: string | null;
  name: string | null;
  reason: string;
}

export interface UnmatchedAworkUser {
  userId: string;
  email: string;
  name: string;
}

/** Issue 15: a manual link to a person who no longer exists in Personio. */
export interface StaleLink {
  personioPersonId: string;
  userId: string;
  reason?: string;
}

export interface UsersReport {
  matched: MatchedPerson[];
  unmatchedPersonio: UnmatchedPersonioPerson[];
  unmatchedAwork: UnmatchedAworkUser[];
  staleLinks?: StaleLink[];
}
