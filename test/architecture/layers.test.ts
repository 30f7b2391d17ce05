import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importGraph } from "./importGraph";
import { LAYER_RULES, type LayerRule } from "./layerRules";
import { layerViolations } from "./layerViolations";

const ROOT = join(__dirname, "..", "..");

describe("the kit's layers", () => {
  const edges = importGraph(ROOT, ["components", "policy", "tools"]);

  it("reads the imports of the model, config, the platforms, the policy pack and the tools", () => {
    for (const folder of ["components/temporal/", "components/config/", "components/aws/", "components/kubernetes/", "policy/", "tools/"]) {
      expect(edges.some((edge) => edge.from.startsWith(folder)), folder).toBe(true);
    }
  });

  it("are kept by every import: no file imports what its layer's rules forbid", () => {
    const violations = layerViolations(edges, LAYER_RULES);
    expect(violations, `imports that break docs/architecture.md's layers:\n${violations.join("\n")}\n`).toEqual([]);
  });
});

describe("the import reader", () => {
  const root = mkdtempSync(join(tmpdir(), "layers-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it("sees static, type-only, re-exported, side-effect, dynamic and required imports, resolved to files", () => {
    write("src/model/roles.ts", "export const ROLES = [];\n");
    write("src/model/index.ts", "export {};\n");
    write("src/cloud/sdk.js", "module.exports = {};\n");
    write(
      "src/config/schema.ts",
      [
        'import { z } from "zod";',
        'import type { Role } from "../model/roles";',
        "import {",
        "  ROLES,",
        '} from "../model/roles.js";',
        'export * from "../model";',
        'import "./sideEffect";',
        // Not a Pulumi package: test/tiers.ts would read the line as this file's own import.
        'const later = () => import("cloud-sdk/ec2");',
        'const sdk = require("../cloud/sdk");',
      ].join("\n"),
    );
    expect(importGraph(root, ["src/config"]).map((edge) => edge.to)).toEqual([
      "zod",
      "src/model/roles.ts",
      "src/model/roles.ts",
      "src/model/index.ts",
      "src/config/sideEffect",
      "cloud-sdk/ec2",
      "src/cloud/sdk.js",
    ]);
  });
});

describe("a layer rule", () => {
  const rule: LayerRule = { files: "components/config/**", mayNotImport: ["components/**", "@pulumi/aws{,/**}"], unless: ["components/config/**"], because: "config stands alone" };

  it("reports each import it forbids as from → to (why)", () => {
    const edges = [
      { from: "components/config/schema.ts", to: "components/config/primitives.ts" },
      { from: "components/config/schema.ts", to: "components/aws/network.ts" },
      { from: "components/config/awsSchema.ts", to: "@pulumi/aws/ec2" },
      { from: "components/config/awsSchema.ts", to: "@pulumi/awsx" },
    ];
    expect(layerViolations(edges, [rule])).toEqual([
      "components/config/awsSchema.ts → @pulumi/aws/ec2 (config stands alone)",
      "components/config/schema.ts → components/aws/network.ts (config stands alone)",
    ]);
  });

  it("checked transitively, names the shortest chain to each import it forbids", () => {
    const edges = [
      { from: "components/config/schema.ts", to: "components/config/azureRules.ts" },
      { from: "components/config/azureRules.ts", to: "components/azure/network.ts" },
      { from: "components/config/schema.ts", to: "components/azure/network.ts" },
      { from: "components/azure/network.ts", to: "@pulumi/aws" },
    ];
    expect(layerViolations(edges, [{ ...rule, mayNotImport: ["@pulumi/aws"], transitively: true }])).toEqual([
      "components/config/azureRules.ts → components/azure/network.ts → @pulumi/aws (config stands alone)",
    ]);
  });

  it("over a folder that does not exist yet, passes", () => {
    expect(layerViolations([{ from: "components/config/schema.ts", to: "@pulumi/aws" }], [{ ...rule, files: "components/stores/*/config.ts" }])).toEqual([]);
  });
});
