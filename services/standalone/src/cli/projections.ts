import { operatorApi } from './operator-api';

const USAGE = `usage: npm run projections -- <command>
  list              each read model of the platform with the events it applied
  rebuild <name>    throw a read model away and rebuild it from the event log`;

async function main(args: readonly string[]): Promise<number> {
  const [command, name] = args;
  if (command === 'list' && args.length === 1) {
    const { status, body } = await operatorApi().call('GET', '/api/v1/admin/projections');
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return status === 200 ? 0 : 1;
  }
  if (command === 'rebuild' && name && args.length === 2) {
    const { status, body } = await operatorApi().call(
      'POST',
      `/api/v1/admin/projections/${encodeURIComponent(name)}/rebuild`,
    );
    if (status !== 200) {
      const message = (body as { error?: { message?: string } })?.error?.message;
      process.stderr.write(`rebuild failed (${status}): ${message ?? JSON.stringify(body)}\n`);
      return 1;
    }
    const { eventsApplied } = body as { eventsApplied: number };
    process.stdout.write(`rebuilt ${name} from the log: ${eventsApplied} events applied\n`);
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 64;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
