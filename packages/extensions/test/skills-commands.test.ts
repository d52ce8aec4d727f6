import { afterEach, describe, expect, it } from "vitest";
import { expandSlashCommand, expandTemplate, splitArguments } from "../src/index.js";
import { type Harness, say, startHarness, toolCall } from "./harness.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const RELEASE_SKILL = `---
name: release-notes
description: Write release notes from the git log in the house style.
---
# Release notes

1. Read the commits since the last tag.
2. Group them under Added / Fixed / Changed, using template.md.
`;

interface AnthropicBody {
  tools?: { name: string; description: string }[];
  messages: { role: string; content: unknown }[];
}

describe("skills", () => {
  it("are offered by description and loaded on use, files included", async () => {
    harness = await startHarness(
      [
        { content: [toolCall("skill", { name: "release-notes" })] },
        { content: [toolCall("skill", { name: "release-notes", file: "template.md" })] },
        { content: [toolCall("skill", { name: "release-notes", file: "../../../config/secret.txt" })] },
        { content: [say("Notes written.")] },
      ],
      {
        "repo/.toad/skills/release-notes/SKILL.md": RELEASE_SKILL,
        "repo/.toad/skills/release-notes/template.md": "## Added\n## Fixed\n",
        "config/skills/pdf/SKILL.md": "---\ndescription: Fill and read PDF forms.\n---\nUse pdftk.\n",
        "config/skills/broken/SKILL.md": "---\nname: broken\n---\nNo description.\n",
        "config/secret.txt": "top secret\n",
      },
    );
    const run = await harness.run("write the release notes");
    expect(run.exit).toBe("end_turn");

    // Offered: the skill tool lists every valid skill by name and description, and nothing more.
    const first = harness.llm.requests[0]?.body as AnthropicBody;
    const tool = first.tools?.find((t) => t.name === "skill");
    expect(tool?.description).toContain("- pdf: Fill and read PDF forms.");
    expect(tool?.description).toContain(
      "- release-notes: Write release notes from the git log in the house style.",
    );
    expect(JSON.stringify(first)).not.toContain("Group them under Added");

    // Loaded on use: the instructions, then a file of the skill; nothing outside its folder.
    const results = run.events.filter((e) => e.type === "tool_result");
    expect(results[0]).toMatchObject({ isError: false });
    expect(results[0]?.type === "tool_result" && results[0].output).toBe(
      '<skill name="release-notes">\n# Release notes\n\n1. Read the commits since the last tag.\n' +
        "2. Group them under Added / Fixed / Changed, using template.md.\n</skill>\n\n" +
        'Files of this skill (read one with skill {"name", "file"}):\n- template.md',
    );
    expect(results[1]).toMatchObject({ isError: false, output: "## Added\n## Fixed\n" });
    expect(results[2]).toMatchObject({ isError: true });
    expect(JSON.stringify(results[2])).not.toContain("top secret");

    // The skill without a description is reported, not silently dropped.
    const errors = run.events.filter((e) => e.type === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "hook_failed" });
    expect(errors[0]?.type === "error" && errors[0].message).toMatch(
      /skills\/broken\/SKILL\.md: needs a description/,
    );
  });
});

describe("custom commands", () => {
  it("a command file with arguments becomes /name args, from project and user level", async () => {
    harness = await startHarness([{ content: [say("On it.")] }], {
      "repo/.toad/commands/fix-issue.md":
        "---\ndescription: Fix a GitHub issue\nargument-hint: <number> [priority]\n---\n" +
        "Fix issue #$1 with priority $2.\nEverything you were told: $ARGUMENTS\n",
      "config/commands/review.md": "Review the staged changes.",
      "config/commands/fix-issue.md": "the user's version, replaced by the project's",
    });
    const { commands, problems } = await harness.extensions.commands(harness.repo);
    expect(problems).toEqual([]);
    expect(commands.map((c) => [c.name, c.scope, c.description, c.argumentHint])).toEqual([
      ["fix-issue", "project", "Fix a GitHub issue", "<number> [priority]"],
      ["review", "user", undefined, undefined],
    ]);

    const expansion = expandSlashCommand('/fix-issue 123 "very high" now', commands);
    expect(expansion).toMatchObject({
      kind: "expanded",
      prompt: 'Fix issue #123 with priority very high.\nEverything you were told: 123 "very high" now',
    });
    expect(expandSlashCommand("/review", commands)).toMatchObject({ prompt: "Review the staged changes." });
    expect(expandSlashCommand("/review focus on tests", commands)).toMatchObject({
      prompt: "Review the staged changes.\n\nfocus on tests",
    });
    expect(expandSlashCommand("/compact", commands)).toEqual({ kind: "unknown", name: "compact" });
    expect(expandSlashCommand("fix /fix-issue 1", commands)).toEqual({ kind: "not_command" });

    // The expanded prompt is what the model gets.
    if (expansion.kind !== "expanded") throw new Error("not expanded");
    await harness.run(expansion.prompt);
    expect(JSON.stringify(harness.llm.requests[0]?.body)).toContain(
      "Fix issue #123 with priority very high.",
    );
  });

  it("templating: missing positions are empty, braced positions work, quotes and escapes group words", () => {
    expect(splitArguments(`a "b c" 'd "e"' f\\ g`)).toEqual(["a", "b c", 'd "e"', "f g"]);
    expect(expandTemplate("[$1][$2][$3]", "only")).toBe("[only][][]");
    const tenth = ["$", "{10}-$1"].join("");
    expect(expandTemplate(tenth, "1 2 3 4 5 6 7 8 9 ten")).toBe("ten-1");
    expect(expandTemplate("no args here", "")).toBe("no args here");
  });
});
