// TanStack Query keys for the console, from one factory so refreshes and invalidations agree.
export const consoleKeys = {
  all: ["console"] as const,
  overview: () => [...consoleKeys.all, "overview"] as const,
};
