/** Numeric-looking ids sort by value, everything else lexicographically; stable for any mix. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length && /^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface CollectionPage<T> {
  items: T[];
  /** Id of the last returned item when more matching items follow, else null. */
  continueAfter: string | null;
}

/**
 * Items by id plus a lazily sorted id index. Pages continue after the last id seen (binary search),
 * so adding or removing items between two pages never crashes or repeats an item.
 */
export class SortedCollection<T extends { id: string }> {
  private readonly byId = new Map<string, T>();
  private sortedIds: string[] | null = [];

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  values(): T[] {
    return this.sortedIdIndex().map((id) => this.byId.get(id)!);
  }

  upsert(item: T): void {
    const isNew = !this.byId.has(item.id);
    this.byId.set(item.id, item);
    if (isNew && this.sortedIds) this.sortedIds.splice(this.firstIndexAfter(this.sortedIds, item.id, true), 0, item.id);
  }

  upsertMany(items: Iterable<T>): void {
    for (const item of items) this.byId.set(item.id, item);
    this.sortedIds = null;
  }

  delete(id: string): boolean {
    if (!this.byId.delete(id)) return false;
    this.sortedIds = null;
    return true;
  }

  page(afterId: string | null, limit: number, matches: (item: T) => boolean): CollectionPage<T> {
    const ids = this.sortedIdIndex();
    const items: T[] = [];
    for (let i = afterId === null ? 0 : this.firstIndexAfter(ids, afterId, false); i < ids.length; i++) {
      const item = this.byId.get(ids[i])!;
      if (!matches(item)) continue;
      if (items.length === limit) return { items, continueAfter: items[items.length - 1].id };
      items.push(item);
    }
    return { items, continueAfter: null };
  }

  private sortedIdIndex(): string[] {
    if (!this.sortedIds) this.sortedIds = [...this.byId.keys()].sort(compareIds);
    return this.sortedIds;
  }

  /** First index whose id is greater than `id` (or ≥ it when `inclusive`). */
  private firstIndexAfter(ids: string[], id: string, inclusive: boolean): number {
    let low = 0;
    let high = ids.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const order = compareIds(ids[mid], id);
      if (order < 0 || (!inclusive && order === 0)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
