// Resource globs of written-list lines: "*" matches within one path segment, "**" across
// segments; the pattern is anchored at both ends and case-sensitive; every other character is
// literal. Matched with a linear dynamic programme rather than a RegExp, so a pattern like
// "a*a*a*a*b" cannot make a decision backtrack for seconds.

type Token = { kind: "literal"; text: string } | { kind: "star" } | { kind: "globstar" };

const compiled = new Map<string, Token[]>();
const MAX_CACHED = 2048;

function tokenize(pattern: string): Token[] {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const tokens: Token[] = [];
  let index = 0;
  while (index < pattern.length) {
    if (pattern[index] === "*") {
      let run = 0;
      while (pattern[index] === "*") {
        run += 1;
        index += 1;
      }
      // A run of three or more stars crosses segments like "**" does.
      tokens.push({ kind: run >= 2 ? "globstar" : "star" });
      continue;
    }
    const next = pattern.indexOf("*", index);
    const end = next === -1 ? pattern.length : next;
    tokens.push({ kind: "literal", text: pattern.slice(index, end) });
    index = end;
  }
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(pattern, tokens);
  return tokens;
}

/** True when `value` is matched by `pattern`. */
export function globMatches(pattern: string, value: string): boolean {
  const tokens = tokenize(pattern);
  const length = value.length;
  // next[j]: do tokens i+1.. match value from j?  current[j]: the same for token i.
  let next = new Uint8Array(length + 1);
  next[length] = 1;
  for (let i = tokens.length - 1; i >= 0; i -= 1) {
    const token = tokens[i] as Token;
    const current = new Uint8Array(length + 1);
    for (let j = length; j >= 0; j -= 1) {
      if (token.kind === "literal") {
        const end = j + token.text.length;
        current[j] = end <= length && next[end] === 1 && value.startsWith(token.text, j) ? 1 : 0;
      } else if (token.kind === "star") {
        current[j] = next[j] === 1 || (j < length && value[j] !== "/" && current[j + 1] === 1) ? 1 : 0;
      } else {
        current[j] = next[j] === 1 || (j < length && current[j + 1] === 1) ? 1 : 0;
      }
    }
    next = current;
  }
  return next[0] === 1;
}

/**
 * A resource that climbs out of where it seems to be ("tickets/../admin") or hides segments
 * ("tickets//x", "tickets/./x") never matches a pattern: the system that receives it may
 * normalise the path after we matched it. It may also percent-decode it, once or more, so the
 * encoded forms count too: "%2e" is a dot, and a resource spelling a separator as "%2f" or "%5c"
 * (or "%252f" …) is refused outright — "tickets/%2e%2e%2fadmin" is "tickets/../admin", and
 * "tickets/a%2fb" would cross the segment a "*" stops at.
 */
export function isCanonicalResource(value: string): boolean {
  if (value.length === 0) return false;
  let decoded = value;
  for (let previous = ""; previous !== decoded; ) {
    previous = decoded;
    decoded = decoded.replace(/%25/gi, "%");
  }
  if (/%2f|%5c/i.test(decoded)) return false;
  const segments = decoded.split(/[/\\]/);
  return !segments.some((segment, index) => {
    const plain = segment.toLowerCase().replaceAll("%2e", ".");
    return plain === "." || plain === ".." || (segment === "" && index > 0 && index < segments.length - 1);
  });
}
