import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  { ignores: [".next/**", "lib/generated/**", ".mandate/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "sdk/dist/**"] },
];

export default config;
