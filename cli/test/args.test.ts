import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../src/args.js";
import { CliError } from "../src/errors.js";

describe("parseCliArgs", () => {
  it("reads a headless run with every flag", () => {
    const args = parseCliArgs(
      [
        "-p",
        "fix",
        "the bug",
        "--output-format",
        "stream-json",
        "--model",
        "claude-sonnet-4-5",
        "--max-turns",
        "7",
        "--budget",
        "0.5",
        "--permission-mode",
        "full-auto",
        "--cwd",
        "/repo",
        "-c",
      ],
      "/here",
    );
    expect(args).toEqual({
      command: "run",
      prompt: "fix the bug",
      outputFormat: "stream-json",
      model: "claude-sonnet-4-5",
      maxTurns: 7,
      budgetUsd: 0.5,
      permissionMode: "full-auto",
      cwd: "/repo",
      continueLatest: true,
      resume: undefined,
      verbose: false,
    });
  });

  it("takes the prompt from stdin when -p has none", () => {
    expect(parseCliArgs(["-p"], "/here")).toMatchObject({ command: "run", prompt: undefined, cwd: "/here" });
  });

  it("gives clear errors for bad flags", () => {
    const message = (argv: string[]) => {
      try {
        parseCliArgs(argv, "/");
        return "no error";
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        return (error as Error).message;
      }
    };
    expect(message(["-p", "x", "--output-format", "xml"])).toMatch(
      /--output-format must be one of text, json/,
    );
    expect(message(["-p", "x", "--max-turns", "0"])).toMatch(/--max-turns must be a positive integer/);
    expect(message(["-p", "x", "--permission-mode", "yolo"])).toMatch(/plan, ask, auto-edit, full-auto/);
    expect(message(["-p", "x", "--frobnicate"])).toMatch(/Unknown option '--frobnicate'/);
    expect(message(["fix", "it"])).toMatch(/Did you mean toad -p "fix it"/);
  });

  it("starts the interactive agent with no task", () => {
    expect(parseCliArgs([], "/r")).toMatchObject({ command: "interactive", cwd: "/r" });
  });
});
