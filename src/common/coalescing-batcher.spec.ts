import { CoalescingBatcher } from './coalescing-batcher';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('CoalescingBatcher', () => {
  it('runs a lone request at once and batches the ones arriving while the limit is in flight', async () => {
    const batches: number[][] = [];
    const gates: Array<ReturnType<typeof deferred<void>>> = [];
    const batcher = new CoalescingBatcher<number, number>(
      async (items) => {
        batches.push(items);
        const gate = deferred<void>();
        gates.push(gate);
        await gate.promise;
        return items.map((item) => item * 10);
      },
      1,
      3,
    );
    const first = batcher.run(1);
    expect(batches).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((item) => batcher.run(item));
    expect(batches).toEqual([[1]]);
    gates[0].resolve();
    expect(await first).toBe(10);
    await Promise.resolve();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gates[1].resolve();
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    gates[2].resolve();
    expect(await Promise.all(rest)).toEqual([20, 30, 40, 50]);
  });

  it('fails only the bad item when a batch fails, by trying each item alone', async () => {
    const batcher = new CoalescingBatcher<string, string>(
      async (items) => {
        await Promise.resolve();
        if (items.includes('bad')) throw new Error('bad item');
        return items.map((item) => item.toUpperCase());
      },
      1,
      10,
    );
    const busy = batcher.run('a');
    const results = await Promise.allSettled([batcher.run('b'), batcher.run('bad'), batcher.run('c')]);
    expect(await busy).toBe('A');
    expect(results).toEqual([
      { status: 'fulfilled', value: 'B' },
      { status: 'rejected', reason: new Error('bad item') },
      { status: 'fulfilled', value: 'C' },
    ]);
  });
});
