import { absenceTypesOf, duplicatesOf, notificationsOf } from './admin-control-shapes';

const manual = { id: 'm1', userId: 'u1', startOn: '2026-07-27', endOn: '2026-07-27' };
const transferred = {
  id: 't1',
  userId: 'u1',
  startOn: '2026-07-27',
  endOn: '2026-07-29',
  externalProvider: 'personio',
};

describe("issue 15's admin controls, read by the page", () => {
  it('reads absence types bare or wrapped, transferred unless said otherwise', () => {
    const types = [
      { id: 'a', name: 'Vacation', transferred: true },
      { id: 'b', name: 'Home office', transferred: false },
    ];
    expect(absenceTypesOf(types)).toEqual(types);
    expect(absenceTypesOf({ items: types })).toEqual(types);
    expect(absenceTypesOf([{ id: 'c' }])).toEqual([{ id: 'c', name: 'c', transferred: true }]);
  });

  it('pairs each manual duplicate with the transferred absence beside it', () => {
    expect(duplicatesOf({ items: [{ manual, transferred }] })).toEqual([{ manual, transferred }]);
    expect(duplicatesOf([{ absence: manual, overlapping: transferred }])).toEqual([{ manual, transferred }]);
    expect(duplicatesOf([manual])).toEqual([{ manual, transferred: null }]);
    expect(duplicatesOf({})).toEqual([]);
  });

  it('reads notifications with their time and text', () => {
    expect(notificationsOf([{ id: 'n1', createdAt: '2026-07-21T10:00:00Z', message: 'Save new credentials' }])).toEqual(
      [{ id: 'n1', at: '2026-07-21T10:00:00Z', title: null, message: 'Save new credentials' }],
    );
  });
});
