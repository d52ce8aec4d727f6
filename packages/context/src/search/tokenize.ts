/**
 * Code-aware tokenisation shared by indexing and querying: identifiers are
 * split at camelCase, snake_case, digits and path separators, lower-cased,
 * and a compound identifier is also kept whole so `hue_order` matches both
 * `hue order` and `hueOrder`.
 */

const WORD = /[A-Za-z_][A-Za-z0-9_]*|[0-9]+/g;

// English glue words and keywords common to the indexed languages: frequent
// everywhere, so they only add noise to BM25 and to the LSA space.
const STOPWORDS = new Set(
  (
    "a an and are as at be but by for from has have if in into is it its of on or so that the " +
    "their then there these this to was were will with not no yes we you i he she they them our can " +
    "do does did done been being would should could may might must also just than too very when " +
    "where which who what why how all any some such only own same other more most each both few " +
    "def return self cls import pass none true false null undefined var let const function class " +
    "new this void int str string bool boolean public private protected static final else elif " +
    "while try except catch finally raise throw throws fn pub mut impl use mod struct enum type " +
    "interface extends implements package func go defer chan map range break continue case switch " +
    "default lambda yield async await include define ifdef ifndef endif typedef unsigned long " +
    "char float double auto"
  ).split(" "),
);

/** Splits one identifier into its lower-case parts: `parseHTTPResponse2` → parse, http, response, 2. */
export function splitIdentifier(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])([0-9])/g, "$1 $2")
    .split(/[\s_]+/)
    .filter((p) => p.length > 0)
    .map((p) => p.toLowerCase());
}

function keep(token: string): boolean {
  return token.length > 1 && token.length < 40 && !STOPWORDS.has(token);
}

/**
 * Tokens of one word, memoised: identifiers repeat heavily within a
 * repository, and splitting them is the hot part of indexing. The cache is
 * bounded and simply cleared when full.
 */
const wordCache = new Map<string, readonly string[]>();
const WORD_CACHE_LIMIT = 200_000;

function wordTokens(word: string): readonly string[] {
  const cached = wordCache.get(word);
  if (cached) return cached;
  const parts = splitIdentifier(word);
  const tokens = parts.filter(keep);
  if (parts.length > 1) {
    const whole = parts.join("");
    if (keep(whole)) tokens.push(whole);
  }
  if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
  wordCache.set(word, tokens);
  return tokens;
}

/** Tokens for BM25 and LSA, in order, with repeats (term frequency matters). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(WORD)) {
    for (const t of wordTokens(match[0])) out.push(t);
  }
  return out;
}

/** Identifiers as written (at least `minLength` long): the names a query mentions. */
export function identifiersIn(text: string, minLength = 3): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    if (word.length >= minLength && !/^[0-9]+$/.test(word)) seen.add(word);
  }
  return [...seen];
}

/** Tokens of a repository path: directories, file stem and extension-less parts. */
export function pathTokens(path: string): string[] {
  return tokenize(path.replace(/\.[A-Za-z0-9]+$/, "").replace(/[/\\.-]/g, " "));
}
