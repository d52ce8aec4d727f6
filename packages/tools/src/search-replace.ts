import { describeCandidates, findCandidates, findExact } from "./match.js";
import { detectEol, lineAt, toCrlf } from "./text.js";
import { fail, ok, type Result } from "./types.js";

export interface SearchReplace {
  oldString: string;
  newString: string;
  replaceAll: boolean;
}

/**
 * Applies one exact search/replace to a file's text. The search must occur
 * exactly once (or at least once with `replaceAll`); when it does not occur,
 * the error lists the closest candidates.
 */
export function applySearchReplace(content: string, edit: SearchReplace, rel: string): Result<string> {
  let { oldString, newString } = edit;
  if (oldString === "") return fail("invalid_arguments", "old_string must not be empty");
  if (oldString === newString) return fail("no_change", "old_string and new_string are identical");
  // Models write LF; a CRLF file should still match and stay CRLF.
  if (detectEol(content) === "\r\n") {
    oldString = toCrlf(oldString);
    newString = toCrlf(newString);
  }
  const offsets = findExact(content, oldString);
  if (offsets.length === 0)
    return fail("no_match", describeCandidates(rel, findCandidates(content, oldString)));
  if (offsets.length > 1 && !edit.replaceAll) {
    const lines = offsets.map((offset) => lineAt(content, offset)).join(", ");
    return fail(
      "not_unique",
      `old_string occurs ${offsets.length} times in ${rel} (at lines ${lines}). ` +
        "Include more surrounding lines to make it unique, or set replace_all to replace every occurrence.",
    );
  }
  if (edit.replaceAll) return ok(content.split(oldString).join(newString));
  const at = offsets[0] ?? 0;
  return ok(content.slice(0, at) + newString + content.slice(at + oldString.length));
}
