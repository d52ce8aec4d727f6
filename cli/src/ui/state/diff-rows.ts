/**
 * A unified diff (as the edit tools preview it) read into rows for display:
 * unified as it is, or paired into side-by-side rows where each removed line
 * faces the added line that replaces it.
 */
export type DiffLine =
  | { type: "file"; text: string }
  | { type: "hunk"; text: string }
  | { type: "context"; text: string; oldNo: number; newNo: number }
  | { type: "add"; text: string; newNo: number }
  | { type: "remove"; text: string; oldNo: number }
  | { type: "meta"; text: string };

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parseUnifiedDiff(diff: string): DiffLine[] {
  const lines: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  // Lines left in the current hunk, from its header: a removed line that
  // itself starts with "--" is then never mistaken for a file header.
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of diff.replace(/\n$/, "").split("\n")) {
    const inHunk = oldLeft > 0 || newLeft > 0;
    if (inHunk && line.startsWith("+")) {
      lines.push({ type: "add", text: line.slice(1), newNo: newNo++ });
      newLeft--;
    } else if (inHunk && line.startsWith("-")) {
      lines.push({ type: "remove", text: line.slice(1), oldNo: oldNo++ });
      oldLeft--;
    } else if (inHunk && line.startsWith("\\")) {
      lines.push({ type: "meta", text: line });
    } else if (inHunk) {
      lines.push({ type: "context", text: line.slice(1), oldNo: oldNo++, newNo: newNo++ });
      oldLeft--;
      newLeft--;
    } else {
      const hunk = HUNK.exec(line);
      if (hunk) {
        oldNo = Number(hunk[1]);
        newNo = Number(hunk[3]);
        oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
        newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
        lines.push({ type: "hunk", text: line });
      } else if (line.startsWith("+++ ")) {
        lines.push({ type: "file", text: line.slice(4).replace(/^b\//, "").replace(/\t.*$/, "") });
      } else if (line.startsWith("\\")) {
        lines.push({ type: "meta", text: line });
      } else if (!/^(--- |diff |index |Index:|=+$)/.test(line) && line !== "") {
        lines.push({ type: "meta", text: line });
      }
    }
  }
  return lines;
}

export interface SideCell {
  no: number;
  text: string;
  change: boolean;
}

export type SideRow =
  | { type: "file"; text: string }
  | { type: "hunk"; text: string }
  | { type: "pair"; left: SideCell | undefined; right: SideCell | undefined };

export function sideBySide(lines: readonly DiffLine[]): SideRow[] {
  const rows: SideRow[] = [];
  let removed: SideCell[] = [];
  let added: SideCell[] = [];
  const flush = () => {
    for (let index = 0; index < Math.max(removed.length, added.length); index++) {
      rows.push({ type: "pair", left: removed[index], right: added[index] });
    }
    removed = [];
    added = [];
  };
  for (const line of lines) {
    switch (line.type) {
      case "remove":
        removed.push({ no: line.oldNo, text: line.text, change: true });
        break;
      case "add":
        added.push({ no: line.newNo, text: line.text, change: true });
        break;
      case "context":
        flush();
        rows.push({
          type: "pair",
          left: { no: line.oldNo, text: line.text, change: false },
          right: { no: line.newNo, text: line.text, change: false },
        });
        break;
      case "file":
      case "hunk":
        flush();
        rows.push({ type: line.type, text: line.text });
        break;
      case "meta":
        break;
    }
  }
  flush();
  return rows;
}

export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.type === "add") added++;
    else if (line.type === "remove") removed++;
  }
  return { added, removed };
}
