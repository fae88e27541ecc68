// Next hands pages their query string as string | string[] | undefined per key; the console's
// filters take one value each, so a repeated key keeps its first value.
export type RawSearchParams = Record<string, string | string[] | undefined>;

export function firstValues(params: RawSearchParams): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
}
