#!/usr/bin/env node
import { run } from './run';

// A reader that stops early (`pbx get group -o yaml | head`) closes the pipe: not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
}).then((code) => {
  // exitCode rather than exit(): output still queued for a pipe is written first.
  process.exitCode = code;
});
