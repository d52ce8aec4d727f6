import { describe, expect, it } from "vitest";
import { PermissionPolicy, PermissionRuleError } from "../src/index.js";

const bash = (command: string) => ({ callId: "c", name: "bash", argumentsJson: JSON.stringify({ command }) });
const edit = (path: string) => ({ callId: "c", name: "edit_file", argumentsJson: JSON.stringify({ path }) });

describe("PermissionPolicy", () => {
  it("applies each mode's defaults", () => {
    const table = (["plan", "ask", "auto-edit", "full-auto"] as const).map((mode) => {
      const policy = new PermissionPolicy(mode);
      return [
        mode,
        policy.decide(edit("a.ts"), "read").action,
        policy.decide(edit("a.ts"), "edit").action,
        policy.decide(bash("ls"), "command").action,
      ];
    });
    expect(table).toEqual([
      ["plan", "allow", "deny", "deny"],
      ["ask", "allow", "ask", "ask"],
      ["auto-edit", "allow", "allow", "ask"],
      ["full-auto", "allow", "allow", "allow"],
    ]);
  });

  it("matches rules by tool and command prefix; deny wins", () => {
    const policy = new PermissionPolicy("ask", {
      allow: ["bash(npm test*)", "bash(git status)", "edit_file(src/)"],
      deny: ["bash(git push*)"],
      ask: ["edit_file(src/secrets)"],
    });
    expect(policy.decide(bash("npm test -- --watch=false"), "command")).toEqual({
      action: "allow",
      by: "rule",
    });
    expect(policy.decide(bash("git status"), "command").action).toBe("allow");
    expect(policy.decide(bash("npm install"), "command").action).toBe("ask");
    expect(policy.decide(bash("git push --force"), "command")).toMatchObject({ action: "deny", by: "rule" });
    expect(policy.decide(edit("src/a.ts"), "edit").action).toBe("allow");
    expect(policy.decide(edit("src/secrets/key"), "edit").action).toBe("ask");
    expect(
      new PermissionPolicy("full-auto", { deny: ["bash(rm *)"] }).decide(bash("rm -rf /"), "command").action,
    ).toBe("deny");
  });

  it("never lets a rule widen plan mode", () => {
    const policy = new PermissionPolicy("plan", { allow: ["bash"] });
    expect(policy.decide(bash("make"), "command").action).toBe("deny");
  });

  it("rejects a malformed rule with its text", () => {
    expect(() => new PermissionPolicy("ask", { allow: ["bash(npm"] })).toThrow(PermissionRuleError);
    expect(() => new PermissionPolicy("ask", { allow: ["bash(npm"] })).toThrow(/bash\(npm/);
  });
});
