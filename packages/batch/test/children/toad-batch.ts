// `toad batch …` as a real process: the CLI command module itself, bundled
// by the test (Node 20 cannot run TypeScript), with the process's streams.
import { batchCommand } from "../../../../cli/src/commands/batch.js";
import { CliError } from "../../../../cli/src/errors.js";

try {
  process.exitCode = await batchCommand.run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  });
} catch (error) {
  process.stderr.write(`toad: ${(error as Error).message}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
}
