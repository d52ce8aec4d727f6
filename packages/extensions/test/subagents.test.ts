import { builtinModels } from "@toad/llm";
import type { RecordedRequest } from "@toad/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, MODEL, say, startHarness, toolCall } from "./harness.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const PARENT = { inputTokens: 2000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 };
const SUB = { inputTokens: 500, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 };

function price(model: string, usage: typeof PARENT): number {
  const prices = builtinModels()[model]?.prices;
  if (!prices) throw new Error(`${model} is not in the registry`);
  return (usage.inputTokens * prices.input + usage.outputTokens * prices.output) / 1e6;
}

interface Body {
  model: string;
  system?: string | { text: string }[];
  tools?: { name: string; description: string }[];
  messages: { role: string; content: unknown }[];
}
const body = (request: RecordedRequest | undefined) => request?.body as Body;
const systemOf = (request: RecordedRequest) => JSON.stringify(body(request).system ?? "");
const firstUserText = (request: RecordedRequest) => JSON.stringify(body(request).messages[0]);

describe("subagents (the task tool)", () => {
  it("runs two read-only subagents in parallel on the fast tier; their cost is the session's", async () => {
    harness = await startHarness(
      [
        {
          label: "parent plans",
          content: [
            toolCall("task", { agent: "explore", prompt: "Where is the config parsed?" }),
            toolCall("task", { agent: "explore", prompt: "Which tests cover auth?" }),
          ],
          usage: PARENT,
        },
        {
          label: "A reads",
          match: { lastUserText: "config parsed" },
          content: [toolCall("read_file", { path: "src/config.js" })],
          usage: SUB,
        },
        {
          label: "A reports",
          match: { toolResult: "parseConfig" },
          content: [say("Config is parsed in src/config.js:1 (parseConfig).")],
          usage: SUB,
        },
        {
          label: "B reports, slowly",
          match: { lastUserText: "tests cover auth" },
          content: [say("Auth is covered by test/auth.test.js, three cases, nothing else touches it.")],
          usage: SUB,
          tokensPerSecond: 25,
        },
        {
          label: "parent concludes",
          match: { toolResult: "Config is parsed" },
          content: [say("Both answered.")],
          usage: PARENT,
        },
      ],
      {
        "repo/src/config.js": "export function parseConfig(text) { return JSON.parse(text); }\n",
        "repo/test/auth.test.js": "// auth tests\n",
      },
    );
    const run = await harness.run("find the config parser and the auth tests");
    expect(run).toMatchObject({ exit: "end_turn", text: "Both answered." });

    // Their reports come back as the task results, summarised with turns and cost.
    const results = run.events.filter((e) => e.type === "tool_result");
    expect(results.map((r) => r.name)).toEqual(["task", "task"]);
    const byCall = new Map(results.map((r) => [r.type === "tool_result" ? r.output : "", r]));
    expect([...byCall.keys()].join("\n")).toContain("Config is parsed in src/config.js:1 (parseConfig).");
    expect([...byCall.keys()].join("\n")).toContain("[subagent explore: 2 turns, 1 tool calls, $");
    expect([...byCall.keys()].join("\n")).toContain("Auth is covered by test/auth.test.js");

    // Own context, own model: each subagent starts from its task alone, on the fast tier.
    const requests = harness.llm.requests.filter((r) => r.wire === "anthropic");
    const subRequests = requests.filter((r) => systemOf(r).includes('TOAD subagent (\\"explore\\")'));
    expect(subRequests).toHaveLength(3);
    for (const request of subRequests) {
      expect(body(request).model).toBe("claude-haiku-4-5");
      expect(firstUserText(request)).not.toContain("find the config parser");
      expect(
        body(request)
          .tools?.map((t) => t.name)
          .sort(),
      ).toEqual(["git", "glob", "grep", "list_dir", "read_file"]);
    }

    // In parallel: each subagent's first request reached the model before the other one's result was in.
    const firstOf = (text: string) => subRequests.find((r) => firstUserText(r).includes(text));
    const resultOf = (text: string) =>
      results.find((r) => r.type === "tool_result" && r.output.includes(text))?.timestamp ?? 0;
    expect(firstOf("config parsed")?.receivedAt).toBeLessThan(resultOf("Auth is covered"));
    expect(firstOf("tests cover auth")?.receivedAt).toBeLessThan(resultOf("Config is parsed"));

    // Costs add up: the session's cost (the sum of its log's usage events) includes the subagents'.
    const expected = 2 * price(MODEL, PARENT) + 3 * price("claude-haiku-4-5", SUB);
    const usages = run.events.filter((e) => e.type === "usage");
    expect(usages.map((u) => u.type === "usage" && u.model).sort()).toEqual([
      "claude-haiku-4-5",
      "claude-haiku-4-5",
      "claude-haiku-4-5",
      MODEL,
      MODEL,
    ]);
    expect(run.costUsd).toBeCloseTo(expected, 12);
    expect((await harness.store.get(run.sessionId))?.costUsd).toBeCloseTo(expected, 12);
  });

  it("a project-defined subagent brings its instructions, tools and model tier", async () => {
    harness = await startHarness(
      [
        { content: [toolCall("task", { agent: "reviewer", prompt: "Review src/a.js for bugs." })] },
        {
          match: { lastUserText: "Review src/a.js" },
          content: [toolCall("write_file", { path: "src/a.js", content: "hacked" })],
        },
        { match: { toolResult: "no tool named" }, content: [say("a.js: off-by-one on line 1.")] },
        { match: { toolResult: "off-by-one" }, content: [say("Reviewed.")] },
      ],
      {
        "repo/src/a.js": "for (let i = 0; i <= n; i++) {}\n",
        "repo/.toad/agents/reviewer.md":
          "---\ndescription: Reviews code for bugs, never edits.\ntools: read_file, grep\nmodel: premium\n---\n" +
          "Report bugs with file:line. Be terse.\n",
      },
    );
    const run = await harness.run("review a.js");
    expect(run.text).toBe("Reviewed.");
    const parentTools = body(harness.llm.requests[0])?.tools ?? [];
    expect(parentTools.find((t) => t.name === "task")?.description).toContain(
      "- reviewer: Reviews code for bugs, never edits.",
    );

    const sub = harness.llm.requests.filter((r) => systemOf(r).includes('TOAD subagent (\\"reviewer\\")'));
    expect(sub).toHaveLength(2);
    expect(systemOf(sub[0] as RecordedRequest)).toContain("Report bugs with file:line. Be terse.");
    expect(body(sub[0]).model).toBe("claude-opus-4-8");
    expect(body(sub[0]).tools?.map((t) => t.name)).toEqual(["read_file", "grep"]);
    // Outside its subset the subagent cannot act: the file is untouched.
    expect(JSON.stringify(body(sub[1]).messages)).toContain('no tool named \\"write_file\\" here');
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(`${harness.repo}/src/a.js`, "utf8")).toBe("for (let i = 0; i <= n; i++) {}\n");
  });
});

describe("subagents and hooks", () => {
  it("a subagent's calls pass the session's PreToolUse guards", async () => {
    harness = await startHarness(
      [
        { content: [toolCall("task", { agent: "explore", prompt: "What is in .env?" })] },
        { match: { lastUserText: "What is in .env" }, content: [toolCall("read_file", { path: ".env" })] },
        { match: { toolResult: "secrets stay secret" }, content: [say("I may not read .env.")] },
        { match: { toolResult: "I may not read .env." }, content: [say("The subagent was stopped.")] },
      ],
      {
        "repo/.env": "TOKEN=hunter2\n",
        "repo/.toad/hooks.json": JSON.stringify({
          hooks: {
            PreToolUse: [
              {
                matcher: "read_file",
                hooks: [
                  {
                    command: `grep -q '"path":".env"' && { echo 'secrets stay secret' >&2; exit 2; }; exit 0`,
                  },
                ],
              },
            ],
          },
        }),
      },
    );
    const run = await harness.run("read the env");
    expect(run.text).toBe("The subagent was stopped.");
    expect(JSON.stringify(harness.llm.requests.map((r) => r.body))).not.toContain("hunter2");
  });
});
