import { parseArgs } from "node:util";
import { type AdminServiceClient, AdminServiceDefinition, type TokenInfo } from "@toad/proto";
import { createChannel, createClient, Metadata } from "nice-grpc";
import { type Command, type CommandIo, parseFlags } from "../command.js";
import { CliError, EXIT, type ExitCode } from "../errors.js";
import { gatewayError } from "../remote/index.js";

const USAGE = `Usage:
  toad admin org create NAME
  toad admin org list
  toad admin user create --org ORG NAME
  toad admin user list [--org ORG]
  toad admin token create --user USER [--scopes a,b] [--expires 30d] [--name N]
  toad admin token list [--user USER | --org ORG]
  toad admin token revoke TOKEN_ID

Orgs, users and API tokens on a gateway (toad serve or a cluster). A token with
the "admin" scope (the first admin token of toad serve has "*") manages every
org; one with "org-admin" the users and tokens of its own org.

  --gateway URL           the gateway (default TOAD_GATEWAY_URL); the caller's token in TOAD_TOKEN
  --org ORG               an org's id or name (default: the caller's org)
  --user USER             a user's id (see toad admin user list)
  --scopes A,B            scopes of the new token: sessions, models, costs, context, tokens,
                          org-admin, admin, * (default: the non-admin scopes you hold);
                          never more than the caller's own
  --expires DURATION      e.g. 90m, 12h, 30d, 2w, or a date (2027-01-31); default: never
  --name N                the new token's name (default "default")
  --output-format FORMAT  text (default) | json

token create prints the token's secret on stdout, once: only its hash is stored.`;

const OPTIONS = {
  gateway: { type: "string" },
  org: { type: "string" },
  user: { type: "string" },
  scopes: { type: "string" },
  expires: { type: "string" },
  name: { type: "string" },
  "output-format": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;
type Flag = Exclude<keyof typeof OPTIONS, "gateway" | "output-format" | "help">;

interface Action {
  /** Flags this action takes besides the common ones. */
  flags: readonly Flag[];
  /** Names of the positional arguments it requires. */
  positionals: readonly string[];
  run(call: Call): Promise<void>;
}

interface Call {
  client: AdminServiceClient;
  options: { metadata: Metadata };
  flags: Partial<Record<Flag, string>>;
  args: string[];
  out: Output;
  now: number;
}

const ACTIONS: Record<string, Action> = {
  "org create": {
    flags: [],
    positionals: ["NAME"],
    async run({ client, options, args, out }) {
      const { org } = await client.createOrg({ name: args[0] }, options);
      out.result({ org }, () => `created org ${org?.orgId} (${org?.name})`);
    },
  },
  "org list": {
    flags: [],
    positionals: [],
    async run({ client, options, out }) {
      const { orgs } = await client.listOrgs({}, options);
      out.result({ orgs }, () =>
        columns(
          ["ID", "NAME", "CREATED"],
          orgs.map((org) => [org.orgId, org.name, date(org.createdAtMs)]),
        ),
      );
    },
  },
  "user create": {
    flags: ["org"],
    positionals: ["NAME"],
    async run({ client, options, flags, args, out }) {
      const { user } = await client.createUser({ org: flags.org ?? "", name: args[0] }, options);
      out.result({ user }, () => `created user ${user?.userId} (${user?.name}) in org ${user?.orgId}`);
    },
  },
  "user list": {
    flags: ["org"],
    positionals: [],
    async run({ client, options, flags, out }) {
      const { users } = await client.listUsers({ org: flags.org ?? "" }, options);
      out.result({ users }, () =>
        columns(
          ["ID", "NAME", "ORG", "CREATED"],
          users.map((user) => [user.userId, user.name, user.orgId, date(user.createdAtMs)]),
        ),
      );
    },
  },
  "token create": {
    flags: ["user", "scopes", "expires", "name"],
    positionals: [],
    async run({ client, options, flags, out, now }) {
      if (flags.user === undefined) throw new CliError(`token create needs --user USER\n${USAGE}`);
      const created = await client.createToken(
        {
          userId: flags.user,
          name: flags.name ?? "default",
          scopes: flags.scopes === undefined ? [] : splitList(flags.scopes),
          expiresAtMs: flags.expires === undefined ? 0 : expiryOf(flags.expires, now),
        },
        options,
      );
      // The secret alone on stdout (TOKEN=$(toad admin token create …)); what it is on stderr.
      out.result(created, () => created.secret);
      if (!out.json && created.token) out.note(`${describeToken(created.token)}; the secret is shown once`);
    },
  },
  "token list": {
    flags: ["user", "org"],
    positionals: [],
    async run({ client, options, flags, out }) {
      const { tokens } = await client.listTokens({ userId: flags.user ?? "", org: flags.org ?? "" }, options);
      out.result({ tokens }, () =>
        columns(
          ["ID", "NAME", "USER", "SCOPES", "EXPIRES", "LAST USED"],
          tokens.map((token) => [
            token.tokenId,
            token.name,
            token.userId,
            token.scopes.join(","),
            token.expiresAtMs === 0 ? "never" : date(token.expiresAtMs),
            token.lastUsedAtMs === 0 ? "never" : date(token.lastUsedAtMs),
          ]),
        ),
      );
    },
  },
  "token revoke": {
    flags: [],
    positionals: ["TOKEN_ID"],
    async run({ client, options, args, out }) {
      await client.revokeToken({ tokenId: args[0] }, options);
      out.result({ revoked: args[0] }, () => `revoked token ${args[0]}`);
    },
  },
};

export const adminCommand: Command = {
  name: "admin",
  summary: "manage orgs, users and API tokens on a gateway (org, user, token)",
  async run(argv, io) {
    const [group, verb, ...rest] = argv;
    if (group === undefined || group === "--help" || group === "-h" || verb === "--help" || verb === "-h") {
      io.stdout.write(`${USAGE}\n`);
      return group === undefined ? EXIT.usage : EXIT.ok;
    }
    const key = `${group} ${verb ?? ""}`.trim();
    const action = ACTIONS[key];
    if (!action) throw new CliError(`unknown admin command "${key}"\n${USAGE}`);
    return runAction(action, key, rest, io);
  },
};

async function runAction(action: Action, key: string, argv: string[], io: CommandIo): Promise<ExitCode> {
  const { values, positionals } = parseFlags(USAGE, () =>
    parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const flags: Partial<Record<Flag, string>> = {};
  for (const flag of ["org", "user", "scopes", "expires", "name"] as const) {
    const value = values[flag];
    if (value === undefined) continue;
    if (!action.flags.includes(flag)) throw new CliError(`admin ${key} takes no --${flag}\n${USAGE}`);
    flags[flag] = value;
  }
  if (positionals.length !== action.positionals.length) {
    const wanted = action.positionals.length === 0 ? "no arguments" : action.positionals.join(" ");
    throw new CliError(`admin ${key} takes ${wanted}, got ${positionals.length}\n${USAGE}`);
  }
  const format = values["output-format"] ?? "text";
  if (format !== "text" && format !== "json") {
    throw new CliError(`--output-format must be one of text, json, got "${format}"`);
  }
  const url = values.gateway ?? io.env.TOAD_GATEWAY_URL;
  if (url === undefined || url === "") {
    throw new CliError("toad admin needs the gateway: --gateway URL or TOAD_GATEWAY_URL");
  }
  const token = io.env.TOAD_TOKEN;
  if (token === undefined || token === "") throw new CliError("toad admin needs an API token in TOAD_TOKEN");

  const channel = createChannel(/^[a-z]+:\/\//.test(url) ? url : `http://${url}`);
  try {
    await action.run({
      client: createClient(AdminServiceDefinition, channel),
      options: { metadata: Metadata({ authorization: `Bearer ${token}` }) },
      flags,
      args: positionals,
      out: output(io, format === "json"),
      now: Date.now(),
    });
    return EXIT.ok;
  } catch (error) {
    throw gatewayError(error, url);
  } finally {
    channel.close();
  }
}

interface Output {
  json: boolean;
  /** The result: as JSON, or as the text `text()` renders. */
  result(value: unknown, text: () => string): void;
  /** A line for the human on stderr. */
  note(line: string): void;
}

function output(io: CommandIo, json: boolean): Output {
  return {
    json,
    result: (value, text) => io.stdout.write(`${json ? JSON.stringify(value, null, 2) : text()}\n`),
    note: (line) => io.stderr.write(`toad admin: ${line}\n`),
  };
}

function describeToken(token: TokenInfo): string {
  const expiry = token.expiresAtMs === 0 ? "never expires" : `expires ${date(token.expiresAtMs)}`;
  return `token ${token.tokenId} (${token.name}) for user ${token.userId} in org ${token.orgId}, scopes ${token.scopes.join(",")}, ${expiry}`;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--expires`: a duration from now (90m, 12h, 30d, 2w) or a date; an absolute time in ms. */
function expiryOf(value: string, now: number): number {
  const duration = /^(\d+)([mhdw])$/.exec(value.trim());
  if (duration?.[1] && duration[2]) {
    const amount = Number(duration[1]);
    if (amount > 0) return now + amount * (UNIT_MS[duration[2]] ?? 0);
  }
  const at = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new CliError(`--expires must be a duration like 90m, 12h, 30d or 2w, or a date, got "${value}"`);
  }
  if (at <= now) throw new CliError(`--expires ${value} is in the past`);
  return at;
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

function date(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Rows under a header, each column as wide as its widest cell. */
function columns(header: string[], rows: string[][]): string {
  if (rows.length === 0) return "(none)";
  const all = [header, ...rows];
  const widths = header.map((_, index) => Math.max(...all.map((row) => (row[index] ?? "").length)));
  return all
    .map((row) =>
      row
        .map((cell, index) => cell.padEnd(widths[index] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
