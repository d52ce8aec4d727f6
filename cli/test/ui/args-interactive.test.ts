import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../../src/args.js";
import { CliError } from "../../src/errors.js";

describe("interactive arguments", () => {
  it("starts a new session by default and passes model and mode through", () => {
    expect(parseCliArgs(["--model", "m1", "--permission-mode", "auto-edit"], "/r")).toEqual({
      command: "interactive",
      cwd: "/r",
      model: "m1",
      permissionMode: "auto-edit",
      continueLatest: false,
      resume: undefined,
    });
  });

  it("continues the latest session, resumes one by id, or asks for a picker with a bare --resume", () => {
    expect(parseCliArgs(["-c"], "/r")).toMatchObject({ command: "interactive", continueLatest: true });
    expect(parseCliArgs(["--resume", "abc"], "/r")).toMatchObject({ command: "interactive", resume: "abc" });
    expect(parseCliArgs(["--resume"], "/r")).toMatchObject({ command: "interactive", resume: "" });
    expect(parseCliArgs(["-r", "--model", "m"], "/r")).toMatchObject({ resume: "", model: "m" });
  });

  it("takes --worktree and --gateway in interactive mode too", () => {
    expect(parseCliArgs(["--worktree", "feature", "--gateway", "127.0.0.1:50051"], "/r")).toMatchObject({
      command: "interactive",
      worktree: "feature",
      gateway: "127.0.0.1:50051",
    });
  });

  it("still needs an id with -p", () => {
    expect(() => parseCliArgs(["-p", "task", "--resume"], "/r")).toThrow(CliError);
    expect(parseCliArgs(["-p", "task", "--resume", "abc"], "/r")).toMatchObject({
      command: "run",
      resume: "abc",
    });
  });
});
