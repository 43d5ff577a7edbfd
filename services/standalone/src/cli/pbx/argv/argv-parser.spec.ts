import { PbxCliErrorCode } from '../pbx-cli.error';
import { optionLabel, type OptionSpec, parseArgv, wantsHelp } from './argv-parser';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'filename', short: 'f', value: '<file|->', description: 'file' },
  { name: 'dry-run', description: 'dry run' },
  { name: 'output', short: 'o', value: '<text|json>', choices: ['text', 'json'], description: 'o' },
];

function usageMessage(argv: string[]): string {
  try {
    parseArgv(argv, OPTIONS);
  } catch (error) {
    expect((error as { code: string }).code).toBe(PbxCliErrorCode.Usage);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

describe(parseArgv.name, () => {
  it('reads values given separately, glued and with =, flags and positionals', () => {
    const args = parseArgv(['get', '-f', 'a.yaml', '--dry-run', '--output=json', 'x'], OPTIONS);
    expect(args.positionals).toEqual(['get', 'x']);
    expect(args.value('filename')).toBe('a.yaml');
    expect(args.flag('dry-run')).toBe(true);
    expect(args.value('output')).toBe('json');
    expect(parseArgv(['-fb.yaml', '-ojson'], OPTIONS).value('filename')).toBe('b.yaml');
    expect(parseArgv(['--filename', 'c.yaml'], OPTIONS).value('filename')).toBe('c.yaml');
  });

  it('takes - as a value (stdin) and as a positional', () => {
    expect(parseArgv(['-f', '-'], OPTIONS).value('filename')).toBe('-');
    expect(parseArgv(['-'], OPTIONS).positionals).toEqual(['-']);
  });

  it('treats everything after -- as positionals', () => {
    const args = parseArgv(['--', '--dry-run', '-f'], OPTIONS);
    expect(args.positionals).toEqual(['--dry-run', '-f']);
    expect(args.flag('dry-run')).toBe(false);
  });

  it('leaves options not given unset', () => {
    const args = parseArgv([], OPTIONS);
    expect(args.flag('dry-run')).toBe(false);
    expect(args.value('filename')).toBeUndefined();
  });

  it.each([
    [['--bogus'], 'unknown option "--bogus"'],
    [['-x'], 'unknown option "-x"'],
    [['-f'], 'option -f/--filename needs a value <file|->'],
    [['-f', '--dry-run'], 'option -f/--filename needs a value <file|->'],
    [['-f', 'a', '-f', 'b'], 'option -f/--filename is given twice'],
    [['--dry-run=yes'], 'option --dry-run takes no value'],
    [['-o', 'xml'], 'option -o/--output must be one of text, json; got "xml"'],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageMessage(argv)).toBe(message);
  });
});

describe(wantsHelp.name, () => {
  it('finds -h or --help before --, not after', () => {
    expect(wantsHelp(['-f', 'x', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsHelp(['-f', 'x'])).toBe(false);
  });
});

describe(optionLabel.name, () => {
  it('shows short and long names and the value placeholder', () => {
    expect(optionLabel(OPTIONS[0])).toBe('-f, --filename <file|->');
    expect(optionLabel(OPTIONS[1])).toBe('--dry-run');
  });
});
