import { describe, expect, test } from "vitest";
import { StoreError, storeLocation } from "../src/index.js";

describe("storeLocation", () => {
  test("defaults to ~/.local/share/toad/toad.db", () => {
    expect(storeLocation({ HOME: "/home/ann" })).toEqual({
      dataDir: "/home/ann/.local/share/toad",
      dbPath: "/home/ann/.local/share/toad/toad.db",
    });
  });

  test("TOAD_DATA_DIR wins over XDG_DATA_HOME, which wins over HOME", () => {
    const env = { HOME: "/home/ann", XDG_DATA_HOME: "/xdg", TOAD_DATA_DIR: "/data/toad" };
    expect(storeLocation(env).dbPath).toBe("/data/toad/toad.db");
    expect(storeLocation({ ...env, TOAD_DATA_DIR: "" }).dbPath).toBe("/xdg/toad/toad.db");
    // A relative XDG_DATA_HOME is invalid by the XDG spec and ignored.
    expect(storeLocation({ HOME: "/home/ann", XDG_DATA_HOME: "rel" }).dbPath).toBe(
      "/home/ann/.local/share/toad/toad.db",
    );
  });

  test("relative or missing directories are a clear error", () => {
    const code = (env: Record<string, string>) => {
      try {
        storeLocation(env);
        return "no error";
      } catch (error) {
        return error instanceof StoreError ? `${error.code}: ${error.message}` : String(error);
      }
    };
    expect(code({ HOME: "/h", TOAD_DATA_DIR: "data" })).toMatch(
      /^no_location: TOAD_DATA_DIR must be an absolute path/,
    );
    expect(code({})).toMatch(/^no_location: .*set TOAD_DATA_DIR or HOME/);
  });
});
