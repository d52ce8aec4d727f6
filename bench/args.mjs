// Command-line options of the benchmark scripts: `--name N`.

/** The number after `--name` on the command line, or `fallback` when the option is absent. */
export function numberArg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}
