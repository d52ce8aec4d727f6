import { parseArgs } from "node:util";
import { type Command, parseFlags } from "../command.js";
import { EXIT } from "../errors.js";

const USAGE = `Usage: toad serve [--port N] [--host ADDR] [--redis URL] [--nats URL] [--server-tools]

Every TOAD service in this process behind one gateway port: the single-box team
server. Clients connect with toad --gateway HOST:PORT and an API token (TOAD_TOKEN).

  --port N          the gateway port (default TOAD_GRPC_PORT, else 50051)
  --host ADDR       the address to listen on (default 127.0.0.1; 0.0.0.0 for the network)
  --redis URL       sessions, tokens and costs in Redis (default REDIS_URL; else the
                    embedded SQLite store in TOAD_DATA_DIR, tokens and costs in memory)
  --nats URL        session events on NATS JetStream (default NATS_URL; else in process)
  --server-tools    also allow sessions whose tools run on this machine
  --metrics-port N  Prometheus /metrics (default TOAD_METRICS_PORT, else 9464; 0: any)

The first start prints an admin API token unless TOAD_BOOTSTRAP_TOKEN sets one.`;

export const serveCommand: Command = {
  name: "serve",
  summary: "run every service in this process behind one gateway port (team server)",
  async run(argv, io) {
    const { values } = parseFlags(USAGE, () =>
      parseArgs({
        args: argv,
        strict: true,
        options: {
          port: { type: "string" },
          host: { type: "string" },
          redis: { type: "string" },
          nats: { type: "string" },
          "server-tools": { type: "boolean" },
          "metrics-port": { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      }),
    );
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    const text = (name: keyof typeof values) => (typeof values[name] === "string" ? values[name] : undefined);
    const env: NodeJS.ProcessEnv = {
      ...io.env,
      ...(text("port") !== undefined && { TOAD_GRPC_PORT: text("port") }),
      ...(text("metrics-port") !== undefined && { TOAD_METRICS_PORT: text("metrics-port") }),
      ...(text("redis") !== undefined && { REDIS_URL: text("redis") }),
      ...(text("nats") !== undefined && { NATS_URL: text("nats") }),
      ...(values["server-tools"] === true && { TOAD_SERVER_TOOLS: "local" }),
    };
    // Loaded on demand: other commands never pay for NestJS.
    const { startTeamServer } = await import("../remote/team-server.js");
    const server = await startTeamServer(env, { host: text("host") ?? "127.0.0.1" });
    io.stdout.write(`toad serve: gateway on ${server.address} (metrics on :${server.metricsPort})\n`);
    if (server.newAdminToken) {
      io.stdout.write(`toad serve: admin API token (shown once; keep it): ${server.newAdminToken}\n`);
      io.stdout.write(
        `toad serve: use it with TOAD_TOKEN=<token> toad --gateway ${server.address} -p "task"\n`,
      );
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        io.stderr.write("toad serve: draining\n");
        server.shutdown().then(resolve, resolve);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return EXIT.ok;
  },
};
