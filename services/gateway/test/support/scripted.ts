import { lastUserText, type MockLlmOptions, toolResultText } from "@toad/testkit";

/**
 * A model that answers by what it is asked, so tests can run in any order:
 * "read <file>" → a read_file call, then (seeing the result) a text quoting it;
 * "slow" → a long answer streamed slowly; anything else → "hi".
 */
export const SCRIPTED_MODEL: MockLlmOptions = {
  responder: (request) => {
    const result = toolResultText(request);
    if (result !== "") return { content: [{ type: "text", text: `The file says: ${result}` }] };
    const text = lastUserText(request);
    const read = /read (\S+)/.exec(text);
    if (read?.[1])
      return { content: [{ type: "tool_call", name: "read_file", arguments: { path: read[1] } }] };
    if (text.includes("slow")) {
      return {
        content: [{ type: "text", text: "one two three four five six seven eight" }],
        tokensPerSecond: 20,
      };
    }
    return { content: [{ type: "text", text: "hi" }] };
  },
};
