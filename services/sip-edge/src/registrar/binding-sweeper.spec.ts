import { BindingSweeper } from './binding-sweeper';

describe(BindingSweeper.name, () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sweeps on its interval, again at once while rounds come back full', async () => {
    jest.useFakeTimers();
    const rounds = [2, 2, 1];
    const target = { sweepExpired: jest.fn(async () => rounds.shift() ?? 0) };
    const sweeper = new BindingSweeper(target, {
      intervalMs: 1000,
      batch: 2,
      log: { error: () => undefined },
    });
    sweeper.start();
    expect(target.sweepExpired).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1000);
    expect(target.sweepExpired).toHaveBeenCalledTimes(3);
    expect(target.sweepExpired).toHaveBeenCalledWith(2);
    await sweeper.stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(target.sweepExpired).toHaveBeenCalledTimes(3);
  });

  it('logs a failed sweep and keeps going', async () => {
    const errors: string[] = [];
    const sweeper = new BindingSweeper(
      { sweepExpired: async () => Promise.reject(new Error('redis down')) },
      { log: { error: (m) => errors.push(m) } },
    );
    await sweeper.sweepNow();
    expect(errors).toEqual(['sweeping expired registrations failed: Error: redis down']);
  });
});
