import { Box, Text } from "ink";
import { type FileTreeLine, fileTree, type StatusEntry } from "../../state/git-status.js";

const CODE_COLOR: Record<string, string> = { M: "yellow", A: "green", D: "red", R: "cyan", "?": "green" };

/** The repository's files as a tree; changed files carry their git status code and colour. */
export function FilesPanel({
  files,
  changes,
  height,
}: {
  /** Every file of the repository (tracked and untracked); undefined while listing. */
  files: readonly string[] | undefined;
  changes: readonly StatusEntry[] | undefined;
  height: number;
}) {
  if (files === undefined || changes === undefined) return <Text dimColor>reading git status…</Text>;
  const lines = fileTree(files, changes);
  if (lines.length === 0) return <Text dimColor>no files</Text>;
  // One row for the summary line, one for "… more" when the tree is cut.
  const room = Math.max(1, height - 1);
  const shown = lines.slice(0, lines.length > room ? Math.max(1, room - 1) : room);
  return (
    <Box flexDirection="column">
      <Text dimColor>{changes.length === 0 ? "no changes" : `${changes.length} changed`}</Text>
      {shown.map((line) => (
        <Text key={line.key} wrap="truncate-end">
          {"  ".repeat(line.depth)}
          <TreeEntry line={line} />
        </Text>
      ))}
      {lines.length > shown.length && <Text dimColor>{`… ${lines.length - shown.length} more`}</Text>}
    </Box>
  );
}

function TreeEntry({ line }: { line: FileTreeLine }) {
  if (line.name.endsWith("/")) {
    return (
      <Text color="blue">
        {line.name}
        {line.files !== undefined && <Text dimColor>{` ${line.files}`}</Text>}
      </Text>
    );
  }
  const code = line.code?.trim() ?? "";
  if (code === "") return <Text>{`   ${line.name}`}</Text>;
  return <Text color={CODE_COLOR[code[0] ?? ""] ?? "white"}>{`${code.padEnd(2)} ${line.name}`}</Text>;
}
