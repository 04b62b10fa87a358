import type { Absence } from '../api/types';

// Issue 15's routes, read tolerantly: the contract names the fields but not every wrapper, so a list may
// come bare or as `{items}`.

export function itemsOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const items = (body as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? (items as T[]) : [];
}

export interface AbsenceTypeChoice {
  id: string;
  name: string;
  transferred: boolean;
}

export function absenceTypesOf(body: unknown): AbsenceTypeChoice[] {
  return itemsOf<Partial<AbsenceTypeChoice>>(body)
    .filter((item) => typeof item.id === 'string')
    .map((item) => ({ id: item.id!, name: item.name ?? item.id!, transferred: item.transferred !== false }));
}

export interface DuplicatePair {
  manual: Absence;
  transferred: Absence | null;
}

type LooseDuplicate = Partial<Absence> & {
  manual?: Absence;
  manualAbsence?: Absence;
  absence?: Absence;
  transferred?: Absence;
  transferredAbsence?: Absence;
  personioAbsence?: Absence;
  overlapping?: Absence;
};

/** Each manual absence with the transferred one beside it. */
export function duplicatesOf(body: unknown): DuplicatePair[] {
  return itemsOf<LooseDuplicate>(body)
    .map((item) => ({
      manual: item.manual ?? item.manualAbsence ?? item.absence ?? (item.id ? (item as Absence) : undefined),
      transferred: item.transferred ?? item.transferredAbsence ?? item.personioAbsence ?? item.overlapping ?? null,
    }))
    .filter((pair): pair is DuplicatePair => pair.manual !== undefined);
}

export interface AdminNotification {
  id: string;
  at: string | null;
  title: string | null;
  message: string;
}

type LooseNotification = {
  id?: string;
  createdAt?: string;
  createdOn?: string;
  title?: string;
  subject?: string;
  message?: string;
  text?: string;
  body?: string;
};

export function notificationsOf(body: unknown): AdminNotification[] {
  return itemsOf<LooseNotification>(body).map((item, index) => ({
    id: item.id ?? String(index),
    at: item.createdAt ?? item.createdOn ?? null,
    title: item.title ?? item.subject ?? null,
    message: item.message ?? item.text ?? item.body ?? '',
  }));
}
