import { Box, Text } from "ink";
import { memo, useMemo } from "react";
import { type MdBlock, markdownBlocks } from "../render/markdown.js";

/** Assistant text as markdown. Memoised: a committed chunk is laid out once. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => markdownBlocks(text), [text]);
  return <Blocks blocks={blocks} />;
});

function Blocks({ blocks }: { blocks: readonly MdBlock[] }) {
  return (
    <Box flexDirection="column" rowGap={1}>
      {blocks.map((block, index) => (
        // Blocks have no identity beyond their position in a chunk that never reorders.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Block key={index} block={block} />
      ))}
    </Box>
  );
}

function Block({ block }: { block: MdBlock }) {
  switch (block.type) {
    case "text":
      return <Text>{block.text}</Text>;
    case "heading":
      return (
        <Text bold color={block.depth === 1 ? "magentaBright" : block.depth === 2 ? "cyanBright" : undefined}>
          {block.depth <= 2 ? block.text : `${"#".repeat(block.depth)} ${block.text}`}
        </Text>
      );
    case "code":
      return (
        <Box
          flexDirection="column"
          borderStyle="single"
          borderTop={false}
          borderRight={false}
          borderBottom={false}
          borderColor="gray"
          paddingLeft={1}
        >
          {block.lang !== "" && <Text dimColor>{block.lang}</Text>}
          <Text>{block.lines.join("\n")}</Text>
        </Box>
      );
    case "list":
      return (
        <Box flexDirection="column">
          {block.items.map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: list items are positional
            <Box key={index} flexDirection="row">
              <Text color="gray">{`${item.marker} `}</Text>
              <Box flexDirection="column" flexShrink={1}>
                {item.blocks.map((child, childIndex) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: positional
                  <Block key={childIndex} block={child} />
                ))}
              </Box>
            </Box>
          ))}
        </Box>
      );
    case "quote":
      return (
        <Box
          borderStyle="single"
          borderTop={false}
          borderRight={false}
          borderBottom={false}
          borderColor="gray"
          paddingLeft={1}
        >
          <Blocks blocks={block.blocks} />
        </Box>
      );
    case "table":
      return <Text wrap="truncate-end">{block.lines.join("\n")}</Text>;
    case "rule":
      return <Text dimColor>{"─".repeat(40)}</Text>;
  }
}
