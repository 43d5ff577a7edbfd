import { isPromise, runSteps, wait, type MaybePromise, type Steps } from './maybe-promise';

function* sum(a: MaybePromise<number>, b: MaybePromise<number>): Steps<number> {
  const x = yield* wait(a);
  const y = yield* wait(b);
  return x + y;
}

describe('runSteps', () => {
  it('runs at once while every value is at hand', () => {
    const result = runSteps(sum(1, 2));
    expect(isPromise(result)).toBe(false);
    expect(result).toBe(3);
  });

  it('goes on asynchronously from the first value that is not', async () => {
    const result = runSteps(sum(1, Promise.resolve(2)));
    expect(isPromise(result)).toBe(true);
    await expect(result).resolves.toBe(3);
    await expect(runSteps(sum(Promise.resolve(1), 2))).resolves.toBe(3);
  });

  it('throws at once from steps that run at once', () => {
    function* broken(): Steps<number> {
      yield* wait(1);
      throw new Error('boom');
    }
    expect(() => runSteps(broken())).toThrow('boom');
  });

  it('hands a rejection to the steps, which may catch it', async () => {
    function* guarded(value: Promise<number>): Steps<number> {
      try {
        return yield* wait(value);
      } catch {
        return -1;
      }
    }
    await expect(runSteps(guarded(Promise.reject(new Error('down'))))).resolves.toBe(-1);
  });

  it('rejects with an error the steps do not catch, or throw after waiting', async () => {
    await expect(runSteps(sum(Promise.reject(new Error('down')), 1))).rejects.toThrow('down');
    function* late(): Steps<number> {
      yield* wait(Promise.resolve(1));
      yield* wait(2);
      throw new Error('late');
    }
    await expect(runSteps(late())).rejects.toThrow('late');
  });
});
