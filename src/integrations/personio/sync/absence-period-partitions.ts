import { fromDayNumber, toDayNumber } from '../../../common/calendar-days';
import { DateRange } from '../../awork-host.types';
import { wholeRangeFilter } from '../client/absence-period-filter';
import { AbsencePeriodFilter, ListedAbsencePeriod } from '../client/personio-api.types';

/**
 * One window's absence-period listing, split so that its pages can be walked concurrently (issue 17):
 * one partition for the periods that start before the window (`starts_from` ≤ the day before, `ends_at` ≥
 * the window's start), then slices of the window by `starts_from` day. Personio matches periods that
 * overlap a filter, so a long absence comes back in every slice it overlaps: the merge counts each id once.
 * Under the other reading (a `starts_from` filter on the start alone) every period still lands in the slice
 * its start falls in, so the union is the window's listing either way (absence-period-partitions.spec.ts).
 */
export interface AbsencePeriodPartition {
  /** For logs: `before` or the slice's first..last day. */
  label: string;
  filter: AbsencePeriodFilter;
}

/** Pages one partition should have at most, so that the partitions finish at about the same time. */
export const PAGES_PER_PARTITION = 10;
/**
 * The default bound (SYNC_MAX_PARTITIONS). Personio's 10 requests/s at 200–250 ms a page need only two or three
 * requests in flight; a few more partitions leave room for uneven slices. More cost requests: every slice edge
 * lists again each period that crosses it (measured on the bench's large workspace: 8 partitions cost 91 pages
 * more than the 600 of the serial listing, 15 %).
 */
export const MAX_PARTITIONS = 6;
/** When nothing tells the size (no earlier run) and the first pages were not the last. */
export const DEFAULT_PARTITIONS = 6;
/** Personio's largest absence-period page. */
export const PERIODS_PER_PAGE = 100;

/** Partitions for a listing expected to take this many pages (one: the unpartitioned listing). */
export function partitionCountFor(expectedPages: number, maxPartitions = MAX_PARTITIONS): number {
  if (!(expectedPages > 2) || maxPartitions <= 1) return 1;
  return Math.max(2, Math.min(maxPartitions, Math.ceil(expectedPages / PAGES_PER_PARTITION) + 1));
}

/** Pages the previous full run's listing took, from the periods it fetched. */
export function expectedPagesFrom(previousFetched: number): number {
  return Math.max(1, Math.ceil(previousFetched / PERIODS_PER_PAGE));
}

/**
 * `count` partitions of the window: the one before it and `count − 1` slices of (about) equal length.
 * Fewer when the window has fewer days than slices; one (the whole window) when count ≤ 1.
 */
export function planPartitions(window: DateRange, count: number): AbsencePeriodPartition[] {
  if (count <= 1) return [{ label: 'window', filter: wholeRangeFilter(window) }];
  const first = toDayNumber(window.start);
  const days = toDayNumber(window.end) - first + 1;
  const slices = Math.min(count - 1, days);
  const sliceStarts = Array.from({ length: slices }, (_, i) => fromDayNumber(first + Math.floor((i * days) / slices)));
  return partitionsAt(window, sliceStarts);
}

/**
 * The partition before the window and one slice from each of `sliceStarts` (ascending, distinct, the first
 * being the window's start) to the day before the next one, the last to the window's end.
 */
export function partitionsAt(window: DateRange, sliceStarts: readonly string[]): AbsencePeriodPartition[] {
  if (sliceStarts[0] !== window.start) throw new Error('the first slice must start on the window’s first day');
  for (let i = 1; i < sliceStarts.length; i++) {
    if (!(sliceStarts[i] > sliceStarts[i - 1]) || sliceStarts[i] > window.end)
      throw new Error('slice starts must ascend within the window');
  }
  const dayBefore = (date: string) => fromDayNumber(toDayNumber(date) - 1);
  const before: AbsencePeriodPartition = {
    label: 'before',
    filter: { startsFromLte: `${dayBefore(window.start)}T23:59:59`, endsAtGte: `${window.start}T00:00:00` },
  };
  const slices = sliceStarts.map((start, i) => {
    const end = i + 1 < sliceStarts.length ? dayBefore(sliceStarts[i + 1]) : window.end;
    return {
      label: `${start}..${end}`,
      filter: { startsFromGte: `${start}T00:00:00`, startsFromLte: `${end}T23:59:59` },
    };
  });
  return [before, ...slices];
}

/**
 * Merges the partitions' pages: each period id passes once, whichever partition brings it first. Items
 * without an id cannot be told apart and always pass (the collector counts them invalid).
 */
export class AbsencePeriodMerge {
  private readonly seen = new Set<string>();

  /** The items of this page not seen before. */
  accept(page: readonly ListedAbsencePeriod[]): ListedAbsencePeriod[] {
    const fresh: ListedAbsencePeriod[] = [];
    for (const item of page) {
      if (item.id !== null) {
        if (this.seen.has(item.id)) continue;
        this.seen.add(item.id);
      }
      fresh.push(item);
    }
    return fresh;
  }

  get size(): number {
    return this.seen.size;
  }
}
