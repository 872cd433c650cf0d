import { GroupCommit } from './group-commit';

/** A runner that records its calls and answers when told to. */
function gate() {
  const calls: { key: string; items: number[]; release(): void; fail(error: Error): void }[] = [];
  const run = (key: string, items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({
        key,
        items,
        release: () => resolve(items.map((item) => `${key}:${item}`)),
        fail: reject,
      });
    });
  return { calls, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('runs an item alone at once', async () => {
    const { calls, run } = gate();
    const commit = new GroupCommit(run);
    const answer = commit.submit('a', 1);
    await tick();

    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0].release();
    await expect(answer).resolves.toBe('a:1');
  });

  it('groups the items that arrive while a statement runs, in arrival order, each getting its own result', async () => {
    const { calls, run } = gate();
    const commit = new GroupCommit(run);
    const first = commit.submit('a', 1);
    const rest = [2, 3, 4].map((item) => commit.submit('a', item));
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0].release();
    await tick();

    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1].release();
    await expect(first).resolves.toBe('a:1');
    await expect(Promise.all(rest)).resolves.toEqual(['a:2', 'a:3', 'a:4']);
  });

  it('cuts a long queue into statements of at most maxBatch', async () => {
    const { calls, run } = gate();
    const commit = new GroupCommit(run, 2);
    const answers = [1, 2, 3, 4, 5].map((item) => commit.submit('a', item));
    for (let i = 0; i < 3; i += 1) {
      await tick();
      calls[i].release();
    }

    await expect(Promise.all(answers)).resolves.toEqual(['a:1', 'a:2', 'a:3', 'a:4', 'a:5']);
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('runs different keys side by side', async () => {
    const { calls, run } = gate();
    const commit = new GroupCommit(run);
    const a = commit.submit('a', 1);
    const b = commit.submit('b', 1);
    await tick();

    expect(calls.map((c) => c.key)).toEqual(['a', 'b']);
    calls[1].release();
    calls[0].release();
    await expect(Promise.all([a, b])).resolves.toEqual(['a:1', 'b:1']);
  });

  it('gives a failed statement’s error to each of its items, and goes on with the next', async () => {
    const { calls, run } = gate();
    const commit = new GroupCommit(run);
    const first = commit.submit('a', 1);
    const second = commit.submit('a', 2);
    const third = commit.submit('a', 3);
    await tick();
    calls[0].fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    calls[1].release();

    await expect(Promise.all([second, third])).resolves.toEqual(['a:2', 'a:3']);
  });

  it('refuses a runner that answers fewer results than items', async () => {
    const commit = new GroupCommit<number, string>(async () => ['only one']);
    const [alone, second, third] = [1, 2, 3].map((item) => commit.submit('a', item));

    await expect(alone).resolves.toBe('only one');
    await expect(second).rejects.toThrow('1 results for 2 items');
    await expect(third).rejects.toThrow('1 results for 2 items');
  });
});
