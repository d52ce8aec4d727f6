/** Names that usually hold credentials (the patterns Codex's default shell policy drops). */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL/i;

/**
 * The environment commands get by default: this process's, minus variables
 * whose names look like credentials, so a command the model writes cannot
 * read the API keys TOAD itself runs with. Pass `env` to a driver to choose.
 */
export function commandEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (!SECRET_NAME.test(name)) kept[name] = value;
  }
  return kept;
}
