/** Text helpers shared by the tools: binary sniffing, line numbers, caps. */

const SNIFF_BYTES = 8_000;

/**
 * Binary when the first bytes hold a NUL or mostly control characters (the
 * heuristic git and ripgrep use, plus a ratio for NUL-free binaries).
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SNIFF_BYTES);
  if (sample.length === 0) return false;
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    // Tab, LF, VT, FF, CR and ESC appear in text; other C0 bytes do not.
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 11 && byte !== 12 && byte !== 13 && byte !== 27) {
      control++;
    }
  }
  return control / sample.length > 0.1;
}

/** True when the bytes survive a UTF-8 decode/encode round trip, so editing them as text loses nothing. */
export function isLosslessUtf8(bytes: Buffer, text: string): boolean {
  return Buffer.byteLength(text, "utf8") === bytes.length && Buffer.from(text, "utf8").equals(bytes);
}

/** "\r\n" when the text uses Windows line endings, else "\n". */
export function detectEol(text: string): "\r\n" | "\n" {
  const crlf = text.indexOf("\r\n");
  if (crlf === -1) return "\n";
  const lf = text.indexOf("\n");
  return lf === crlf + 1 ? "\r\n" : "\n";
}

/** Rewrites bare LF line endings to CRLF (text without CR only). */
export function toCrlf(text: string): string {
  return text.includes("\r") ? text : text.replace(/\n/g, "\r\n");
}

/** Lines without their terminators; a trailing newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** `cat -n` style: right-aligned number, tab, text. */
export function numberLine(lineNumber: number, text: string): string {
  return `${String(lineNumber).padStart(6)}\t${text}`;
}

/** Keeps the head and tail of a long text with the cut marked. */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const half = Math.floor(maxChars / 2);
  const omitted = text.length - 2 * half;
  return `${text.slice(0, half)}\n[... ${omitted} characters omitted ...]\n${text.slice(text.length - half)}`;
}

/** Truncates one long line (minified code) with a marker. */
export function clipLine(line: string, maxChars: number): string {
  return clipLineOf(line, line.length, maxChars);
}

/** `clipLine` of a line known only by its start (`text`) and its full length in characters. */
export function clipLineOf(text: string, chars: number, maxChars: number): string {
  return chars <= maxChars ? text : `${text.slice(0, maxChars)} [... ${chars - maxChars} more characters]`;
}

export function plural(count: number, word: string, pluralForm = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralForm}`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
