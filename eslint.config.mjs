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
  {
    files: ["components/**", "app/**/*client*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/server/*", "**/server/*"], message: "components/ never imports server/." },
          ],
        },
      ],
    },
  },
  {
    files: ["server/**", "app/**", "components/**", "lib/**"],
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
          ],
        },
      ],
    },
  },
];
export default config;
