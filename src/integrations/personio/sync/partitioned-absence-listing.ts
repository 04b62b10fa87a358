import { ListedAbsencePeriod, PersonioCredentials } from '../client/personio-api.types';
import { PersonioClient } from '../client/personio-client.port';
import { DateRange } from '../../awork-host.types';
import {
  AbsencePeriodMerge,
  AbsencePeriodPartition,
  DEFAULT_PARTITIONS,
  expectedPagesFrom,
  MAX_PARTITIONS,
  partitionCountFor,
  planPartitions,
} from './absence-period-partitions';

export interface PartitionedListingInput {
  credentials: PersonioCredentials;
  window: DateRange;
  /** Absence periods the previous successful full run fetched; null when there was none. */
  previousFetched: number | null;
  /** SYNC_MAX_PARTITIONS: 1 lists the window unpartitioned, page after page. */
  maxPartitions?: number;
  /** Each distinct period once, as its page arrives (from any partition). */
  onPeriods: (periods: ListedAbsencePeriod[]) => void;
  /** After every page. */
  onPage?: (pages: number) => void;
  /** Before a partition asks for its next page: a promise makes it wait (the caller cannot take more yet). */
  beforeNextPage?: () => Promise<void> | undefined;
  /** Set when the caller gave up (another part of the sync failed): the partitions stop at their next page. */
  signal?: AbortSignal;
}

export interface PartitionedListingResult {
  pages: number;
  partitions: number;
}

/** Pages of the whole window read before a listing of unknown size is partitioned. */
export const UNPARTITIONED_FIRST_PAGES = 3;

/** Thrown into the partitions still walking once one failed or the caller gave up. */
class ListingStopped extends Error {}

/**
 * Lists one window's absence periods, the partitions (absence-period-partitions.ts) walked concurrently; the
 * client's request budget keeps them within Personio's rate. Resolves only when every partition reached its
 * last page; the first failure rejects and stops the others, so an incomplete listing never looks complete.
 * The number of partitions comes from the previous run's size; without one, the window's first pages
 * are listed unpartitioned and, if there are more, the rest with DEFAULT_PARTITIONS.
 */
export async function listWindowPartitioned(
  client: PersonioClient,
  input: PartitionedListingInput,
): Promise<PartitionedListingResult> {
  const merge = new AbsencePeriodMerge();
  let pages = 0;
  const pageArrived = (page: ListedAbsencePeriod[]) => {
    pages++;
    const fresh = merge.accept(page);
    if (fresh.length > 0) input.onPeriods(fresh);
    input.onPage?.(pages);
  };

  const maxPartitions = input.maxPartitions ?? MAX_PARTITIONS;
  let count: number;
  if (input.previousFetched !== null || maxPartitions <= 1) {
    count = partitionCountFor(expectedPagesFrom(input.previousFetched ?? 0), maxPartitions);
  } else {
    // Nothing tells the size: the whole window's first pages end a small company's listing; a larger one
    // goes on partitioned, the pages read so far merged in (the page prefetched meanwhile is the only waste).
    const whole = client.listAbsencePeriods(input.credentials, input.window)[Symbol.asyncIterator]();
    try {
      for (let read = 0; read < UNPARTITIONED_FIRST_PAGES; read++) {
        throwIfStopped(input.signal);
        const next = await whole.next();
        if (next.done) return { pages, partitions: 1 };
        pageArrived(next.value);
        await input.beforeNextPage?.();
      }
    } finally {
      await whole.return?.();
    }
    count = Math.min(DEFAULT_PARTITIONS, maxPartitions);
  }

  const partitions = planPartitions(input.window, count);
  const stop = new AbortController();
  const onCallerAbort = () => stop.abort();
  input.signal?.addEventListener('abort', onCallerAbort);
  // An abort before the listener was added fires no event.
  if (input.signal?.aborted) stop.abort();
  try {
    await Promise.all(
      partitions.map((partition) =>
        walk(client, input, partition, stop.signal, pageArrived).catch((error: unknown) => {
          stop.abort();
          throw error;
        }),
      ),
    );
  } finally {
    input.signal?.removeEventListener('abort', onCallerAbort);
  }
  throwIfStopped(input.signal);
  return { pages, partitions: partitions.length };
}

async function walk(
  client: PersonioClient,
  input: PartitionedListingInput,
  partition: AbsencePeriodPartition,
  signal: AbortSignal,
  pageArrived: (page: ListedAbsencePeriod[]) => void,
): Promise<void> {
  for await (const page of client.listAbsencePeriodsMatching(input.credentials, partition.filter)) {
    throwIfStopped(signal);
    pageArrived(page);
    await input.beforeNextPage?.();
  }
}

function throwIfStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ListingStopped('the absence-period listing was stopped');
}
