import { main } from '../engine/cli/main.js';

// The CLI's process entry (built to dist/cli.js), outside engine/: the wall clock is handed in
// here, the one place it enters the CLI. Progress lines may say how long a command has taken;
// no run ever reads it.
main(process.argv.slice(2), (s) => process.stdout.write(s + '\n'), (s) => process.stderr.write(s + '\n'), () => Date.now()).then(
  (code) => (process.exitCode = code),
);
