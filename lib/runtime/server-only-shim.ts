// Outside Next (the custom server, CLI, tests) there is no client bundle to protect, so
// `import "server-only"` resolves here (tsconfig.node.json, vitest.config.ts) and does nothing.
export {};
