/** Entry point: runs the CLI and exits with its code. */
import { main } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`yolo-architect: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
