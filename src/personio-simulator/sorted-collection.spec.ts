import { compareIds, SortedCollection } from './sorted-collection';

describe('SortedCollection', () => {
  const all = () => true;

  it('sorts numeric ids by value', () => {
    expect(['10', '9', '100', '1'].sort(compareIds)).toEqual(['1', '9', '10', '100']);
  });

  it('pages after the last id seen, with or without that id still present', () => {
    const collection = new SortedCollection<{ id: string }>();
    collection.upsertMany(['1', '2', '3', '4', '5'].map((id) => ({ id })));

    const first = collection.page(null, 2, all);
    collection.delete('2');
    collection.upsert({ id: '0' });
    const second = collection.page(first.continueAfter, 2, all);
    const third = collection.page(second.continueAfter, 2, all);

    expect(first).toEqual({ items: [{ id: '1' }, { id: '2' }], continueAfter: '2' });
    expect(second).toEqual({ items: [{ id: '3' }, { id: '4' }], continueAfter: '4' });
    expect(third).toEqual({ items: [{ id: '5' }], continueAfter: null });
  });

  it('gives no next page when the remaining items do not match', () => {
    const collection = new SortedCollection<{ id: string; keep: boolean }>();
    collection.upsertMany([
      { id: '1', keep: true },
      { id: '2', keep: true },
      { id: '3', keep: false },
    ]);

    expect(collection.page(null, 2, (item) => item.keep).continueAfter).toBeNull();
  });

  it('keeps the index sorted when single items are added to a sorted index', () => {
    const collection = new SortedCollection<{ id: string }>();
    collection.upsertMany([{ id: '5' }, { id: '1' }]);
    collection.page(null, 10, all);
    collection.upsert({ id: '3' });

    expect(collection.values().map((item) => item.id)).toEqual(['1', '3', '5']);
  });
});
