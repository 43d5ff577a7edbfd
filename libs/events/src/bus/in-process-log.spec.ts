import type { EventEnvelope } from '../envelope/event-envelope';
import { PartitionLog } from './in-process-log';

const record = (i: number) => ({
  key: `k${i}`,
  event: { id: `e${i}` } as unknown as EventEnvelope,
});

describe(PartitionLog.name, () => {
  it('reads every record it holds by offset, and holds between retain and a quarter more', () => {
    const log = new PartitionLog(10);
    for (let i = 0; i < 1_000; i += 1) {
      expect(log.append(record(i))).toBe(i);
      const held = log.end - log.start;
      expect(held).toBeLessThanOrEqual(10 + 2);
      if (i >= 10) expect(held).toBeGreaterThanOrEqual(10);
    }
    expect(log.end).toBe(1_000);
    for (let offset = log.start; offset < log.end; offset += 1) {
      expect(log.at(offset)?.key).toBe(`k${offset}`);
    }
    expect(log.at(log.start - 1)).toBeUndefined();
    expect(log.at(log.end)).toBeUndefined();
  });

  it('works with a retention of one', () => {
    const log = new PartitionLog(1);
    for (let i = 0; i < 5; i += 1) log.append(record(i));
    expect([log.start, log.end]).toEqual([4, 5]);
    expect(log.at(4)?.key).toBe('k4');
  });
});
