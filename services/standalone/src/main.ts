import { startStandalone } from './standalone';

startStandalone().catch((error: unknown) => {
  process.stderr.write(
    `standalone platform failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
