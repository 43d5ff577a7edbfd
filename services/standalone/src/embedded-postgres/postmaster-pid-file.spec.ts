import { parsePostmasterPidFile } from './postmaster-pid-file';

describe(parsePostmasterPidFile.name, () => {
  it('reads PID, data directory, port and status from a ready server', () => {
    const text =
      '5253\n/tmp/pgx/c\n1795566733\n54329\n\n127.0.0.1\n  2146383         4\nready   \n';
    expect(parsePostmasterPidFile(text)).toEqual({
      pid: 5253,
      dataDir: '/tmp/pgx/c',
      port: 54329,
      status: 'ready',
    });
  });

  it('accepts a file still being written, without status', () => {
    expect(parsePostmasterPidFile('42\n/data\n')).toEqual({
      pid: 42,
      dataDir: '/data',
      port: null,
      status: null,
    });
  });

  it('treats the negative PID of a single-user backend as that PID', () => {
    expect(parsePostmasterPidFile('-77\n/data\n')?.pid).toBe(77);
  });

  it.each([[''], ['\n'], ['abc\n/data\n'], ['0\n/data\n'], ['12\n\n']])(
    'rejects the malformed file %j',
    (text) => {
      expect(parsePostmasterPidFile(text)).toBeNull();
    },
  );
});
