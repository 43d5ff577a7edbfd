import { Readable } from 'node:stream';
import { decodeUtf8, MAX_SOURCE_BYTES, oversizedMessage, readStream } from './source-file';

describe(oversizedMessage.name, () => {
  it('names the size in MiB, rounded up, and the limit', () => {
    expect(oversizedMessage('company.yaml', 12.3 * 1024 * 1024)).toBe(
      'company.yaml: 12.3 MiB is over the 10 MiB limit',
    );
    expect(oversizedMessage('company.yaml', MAX_SOURCE_BYTES + 1)).toBe(
      'company.yaml: 10.1 MiB is over the 10 MiB limit',
    );
  });

  it('says only that the limit is passed when the size is unknown (stdin)', () => {
    expect(oversizedMessage('<stdin>', undefined)).toBe('<stdin>: over the 10 MiB limit');
  });
});

describe(decodeUtf8.name, () => {
  it('decodes UTF-8 and drops a byte order mark', () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('naam: Jördis')]);
    expect(decodeUtf8('a.yaml', input)).toBe('naam: Jördis');
  });

  it('names the line and byte offset of the first bad byte', () => {
    const input = Buffer.concat([
      Buffer.from('apiVersion: pbx/v1\nkind: Group\nmetadata:\n  name: '),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      Buffer.from('\n'),
    ]);
    expect(() => decodeUtf8('company.yaml', input)).toThrow(
      'company.yaml: not valid UTF-8 at line 4, byte offset 52',
    );
  });

  it('recognises UTF-16 and says how to fix it', () => {
    const input = Buffer.from('\ufeffkind: Group', 'utf16le');
    expect(() => decodeUtf8('c.yaml', input)).toThrow(
      'c.yaml: not valid UTF-8 at line 1, byte offset 0 (the file looks like UTF-16; save it as UTF-8)',
    );
  });
});

describe(readStream.name, () => {
  it('joins the chunks of a stream', async () => {
    const stream = Readable.from([Buffer.from('kind: '), 'Group']);
    expect(Buffer.from(await readStream('<stdin>', stream)).toString()).toBe('kind: Group');
  });

  it('refuses a stream once it passes the limit', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const stream = Readable.from(Array.from({ length: 11 }, () => chunk));
    await expect(readStream('<stdin>', stream)).rejects.toThrow('<stdin>: over the 10 MiB limit');
  });
});
