import { isPostgresExecutable, parseProcStat } from './process-inspector';

describe(parseProcStat.name, () => {
  it('reads state and parent PID after the command name', () => {
    expect(parseProcStat('5253 (postgres) S 1 5253 5253 0 -1 4194560')).toEqual({
      state: 'S',
      ppid: 1,
    });
  });

  it('copes with spaces and parentheses inside the command name', () => {
    expect(parseProcStat('77 (postgres: io (worker) 1) Z 76 77 77 0')).toEqual({
      state: 'Z',
      ppid: 76,
    });
  });

  it('rejects text that is not a stat line', () => {
    expect(parseProcStat('garbage')).toBeNull();
  });
});

describe(isPostgresExecutable.name, () => {
  it('recognises the server binary by its file name only', () => {
    expect(isPostgresExecutable(['/opt/pg/bin/postgres', '-D', '/data'])).toBe(true);
    expect(isPostgresExecutable(['postgres: checkpointer '])).toBe(false);
    expect(isPostgresExecutable(['/usr/bin/node', 'postgres'])).toBe(false);
    expect(isPostgresExecutable([])).toBe(false);
  });
});
