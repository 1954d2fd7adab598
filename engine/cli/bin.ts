import { main } from './main.js';

// The process's wall clock is handed in here, the one place it enters the CLI: progress lines
// may say how long a command has taken; no run ever reads it.
main(process.argv.slice(2), (s) => process.stdout.write(s + '\n'), (s) => process.stderr.write(s + '\n'), () => Date.now()).then(
  (code) => (process.exitCode = code),
);
