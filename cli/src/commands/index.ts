import type { Command } from "../command.js";
import { sessionsCommand } from "./sessions.js";

/** Every `toad <name>` subcommand. Add a command by adding its module here. */
export const COMMANDS: readonly Command[] = [sessionsCommand];
