import type { Key } from "ink";

export type { Key };

/** Ink reports the Backspace key (DEL, 0x7f) as `delete`; both erase backwards here. */
export const isBackspace = (key: Key) => key.backspace || key.delete;

/** Text to insert for this key, or undefined when it is not printable input. */
export function printable(input: string, key: Key): string | undefined {
  if (key.ctrl || key.escape || key.return || key.tab || key.upArrow || key.downArrow) return undefined;
  if (key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end) return undefined;
  if (isBackspace(key)) return undefined;
  if (key.meta && input.length === 1) return undefined;
  // Drop stray control characters, keep newlines and tabs of pasted text.
  let text = "";
  for (const char of input) if (!isStrayControl(char.charCodeAt(0))) text += char;
  return text === "" ? undefined : text;
}

/** C0 controls and DEL, except tab, line feed and carriage return. */
function isStrayControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
}
