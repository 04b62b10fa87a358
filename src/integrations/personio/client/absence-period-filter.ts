import { AbsencePeriodFilter, DateRange } from './personio-api.types';

/**
 * Periods overlapping the inclusive date range (the unpartitioned listing of a window). Offset-less local
 * times, since some Personio endpoints reject `Z`.
 */
export function wholeRangeFilter(range: DateRange): AbsencePeriodFilter {
  return { endsAtGte: `${range.start}T00:00:00`, startsFromLte: `${range.end}T23:59:59` };
}

/** The query parameters of an absence-period filter, as Personio names them. */
export function absencePeriodQuery(filter: AbsencePeriodFilter): Record<string, string> {
  const query: Record<string, string> = {};
  if (filter.endsAtGte !== undefined) query['ends_at.date_time.gte'] = filter.endsAtGte;
  if (filter.startsFromGte !== undefined) query['starts_from.date_time.gte'] = filter.startsFromGte;
  if (filter.startsFromLte !== undefined) query['starts_from.date_time.lte'] = filter.startsFromLte;
  return query;
}
