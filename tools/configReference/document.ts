import { CONFIG_NAMESPACE } from "../../components/config/errors";
import { ENVIRONMENTS } from "../../components/config/schema";
import { defaultsOf } from "./defaults";
import { configJsonSchema, configKeys, formatPath, type ConfigKey, type JsonSchema, type Variant } from "./keys";
import { patternMeanings } from "./patterns";
import { cell, typeText, valueText } from "./render";
import { rulesSection } from "./rules";

/** Where the configuration reference is committed, from the project root. */
export const CONFIG_REFERENCE_PATH = "docs/configuration.md";

export const REGENERATE_COMMAND = "npm run config:docs";

/** The committed file's text: what `npm run config:docs` writes. */
export function configReferenceText(): string {
  const schema = configJsonSchema();
  const keys = configKeys(schema);
  const meanings = patternMeanings();
  const topLevel = schema.properties as Record<string, JsonSchema>;
  const podShapes = distinctPodShapes(keys);
  const lines = [
    "# Configuration reference",
    "",
    `<!-- Generated from components/config/ by ${REGENERATE_COMMAND}; do not edit by hand. -->`,
    "",
    `Every \`${CONFIG_NAMESPACE}:\` key a stack file may set, with its type, the values it allows and its default in each`,
    "environment. A stack file names its `environment`; the kit starts from that environment's preset and",
    "overlays the stack file on it: objects merge key by key, lists replace the preset's whole list, and a",
    "stack file that picks another branch of a union (`persistence.hosting`, `visibility.store`, a `mode`)",
    "starts that object from the branch's own preset. `npm run config -- --stack <stack>` prints a stack's",
    "merged config. A key marked *optional* (or held by an optional object) stays unset unless the stack file",
    "sets it; every other key has a value after the merge (`aws.*`, `aws.eks.*`, `aws.ecs.*` and `azure.*` on their platforms). The [rules between keys](#rules-between-keys) are checked after the merge.",
    "",
    "## Top-level keys",
    "",
    "| Key | Description |",
    "| --- | --- |",
    ...Object.entries(topLevel).map(([key, child]) => `| [\`${key}\`](#${key.toLowerCase()}) | ${cell(String(child.description ?? ""))} |`),
    "",
  ];
  for (const [top, child] of Object.entries(topLevel)) {
    lines.push(`## ${top}`, "");
    if (child.description) lines.push(String(child.description), "");
    const inSection = keys.filter((key) => key.path[0] === top);
    for (const [variantsText, group] of groupByVariants(inSection)) {
      if (variantsText) lines.push(`### \`${top}\` with ${variantsText}`, "");
      lines.push(...keyTable(group, meanings, podShapes), "");
    }
  }
  lines.push("## Pod overrides", "", "The `pod` and `adminToolsPod` blocks take a subset of a Kubernetes pod spec's fields (Kubernetes platforms only; see [pod-overrides.md](pod-overrides.md)); each shape below is listed once with the keys that use it.", "");
  podShapes.forEach((shape, index) => {
    lines.push(`### Pod override shape ${index + 1}`, "", `Used by ${shape.users.map((user) => `\`${user}\``).join(", ")}.`, "");
    if (shape.schema.description) lines.push(String(shape.schema.description), "");
    lines.push(...keyTable(configKeys(shape.schema), meanings, []), "");
  });
  lines.push(...rulesSection(Object.keys(topLevel)));
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

interface PodShape {
  schema: JsonSchema;
  users: string[];
}

function distinctPodShapes(keys: ConfigKey[]): PodShape[] {
  const shapes = new Map<string, PodShape>();
  for (const key of keys.filter((candidate) => candidate.podBlock)) {
    const { description: _, ...shape } = key.podBlock!;
    const id = JSON.stringify(shape);
    const known = shapes.get(id) ?? { schema: shape, users: [] };
    if (!known.users.includes(formatPath(key.path))) known.users.push(formatPath(key.path));
    shapes.set(id, known);
  }
  return [...shapes.values()];
}

const variantText = (variants: Variant[], top: string) =>
  variants.map((variant) => `\`${variant.union === top ? "" : `${variant.union.slice(top.length + 1)}.`}${variant.discriminator}: ${variant.value}\``).join(", ");

function groupByVariants(keys: ConfigKey[]): Map<string, ConfigKey[]> {
  const groups = new Map<string, ConfigKey[]>();
  for (const key of keys) {
    const text = variantText(key.variants, key.path[0]);
    groups.set(text, [...(groups.get(text) ?? []), key]);
  }
  return groups;
}

function keyTable(keys: ConfigKey[], meanings: Map<string, string>, podShapes: PodShape[]): string[] {
  return [
    "| Key | Type and allowed values | Default | Description |",
    "| --- | --- | --- | --- |",
    ...keys.map((key) => {
      const name = `\`${formatPath(key.path)}\`${key.optional ? " *optional*" : ""}`;
      const shape = key.podBlock ? podShapes.findIndex((candidate) => candidate.users.includes(formatPath(key.path))) + 1 : 0;
      const type = shape ? `pod overrides: [shape ${shape}](#pod-override-shape-${shape})` : typeText(key.schema, meanings);
      return `| ${cell(name)} | ${cell(type)} | ${cell(defaultText(key))} | ${cell(String(key.schema.description ?? ""))} |`;
    }),
  ];
}

function defaultText(key: ConfigKey): string {
  if (key.path.length === 1 && key.path[0] === "environment") return "required: it picks the preset";
  const defaults = defaultsOf(key);
  const texts = ENVIRONMENTS.map((environment) => valueText(defaults[environment]));
  if (texts.every((text) => text === texts[0])) return texts[0];
  return ENVIRONMENTS.map((environment, index) => `${environment}: ${texts[index]}`).join("<br>");
}
