import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "generated/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  // Import boundaries (docs/architecture.md). ESLint's flat config lets the last matching entry
  // decide a rule, so each entry repeats the rules that apply to every folder.
  restrict(["server/**", "app/**", "actions/**"], []),
  restrict(
    ["lib/**"],
    [
      {
        group: ["@/server/*", "**/server/*"],
        message: "lib/ runs anywhere: it never imports server/.",
      },
      { group: ["@/components/*", "@/actions/*", "@/app/*"], message: "lib/ imports only lib/." },
      {
        group: ["server-only", "next/headers", "next-intl/server", "node:*"],
        message:
          "lib/ runs anywhere: code that needs the server (requests, Node) lives in server/.",
      },
    ],
  ),
  restrict(
    ["components/**", "app/**/*client*.tsx"],
    [{ group: ["@/server/*", "**/server/*"], message: "components/ never imports server/." }],
  ),
  restrict(
    ["server/cti/**"],
    [
      {
        group: ["@/server/floor/*", "../floor/*"],
        message:
          "The CTI layer delivers observations through lib/floor/observation.ts; it never imports the floor.",
      },
    ],
  ),
  restrict(
    ["server/floor/**"],
    [
      {
        group: ["@/server/cti/*", "../cti/*"],
        message: "The floor consumes observations; it never imports the CTI layer.",
      },
    ],
  ),
  // `x as unknown as T` turns the compiler's check off; outside tests a value gets a type that
  // fits, a type guard or a checked single `as` (generated/ is ignored above).
  {
    files: ["**/*.{ts,tsx,mts,cts}"],
    ignores: ["tests/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            ":matches(TSAsExpression, TSTypeAssertion) > :matches(TSAsExpression, TSTypeAssertion).expression[typeAnnotation.type='TSUnknownKeyword']",
          message:
            "No `as unknown as` outside tests: give the value a type that fits, a type guard or a narrower API.",
        },
      ],
    },
  },
];
export default config;

/** no-restricted-imports for `files`: the simulator is reached over the wire only, plus `extra`. */
function restrict(files, extra) {
  return {
    files,
    ignores: ["server/sim/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/server/sim/*", "**/sim/*"],
              message: "The dashboard talks to the simulator over the wire only.",
            },
            ...extra,
          ],
        },
      ],
    },
  };
}
