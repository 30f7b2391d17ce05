import { z } from "zod";
import { CONFIG_NAMESPACE } from "../../components/config/errors";
import { stackConfigSchema } from "../../components/config/schema";
import { WEB_CONSOLE_CLIENT_SECRET_KEY } from "../../components/config/webConsoleSchema";

/** Where the stack files' editor schema is committed, from the project root. */
export const STACK_FILE_SCHEMA_PATH = "stacks/stack-config.schema.json";

export const REGENERATE_COMMAND = "npm run config:schema";

type JsonSchema = { [keyword: string]: unknown };

/**
 * The JSON Schema of a stack file (`stacks/Pulumi.<stack>.yaml`), derived from the zod schema the
 * program parses with, for editors: completion, enums, types and the mistakes JSON Schema can
 * express. The config check stays the judge: refinements and cross-key rules are zod's alone.
 */
export function stackFileSchema(): JsonSchema {
  const merged = z.toJSONSchema(stackConfigSchema, { target: "draft-7", io: "input", unrepresentable: "any" }) as JsonSchema;
  const topKeys = merged.properties as Record<string, JsonSchema>;
  const kitKey = (key: string) => `${CONFIG_NAMESPACE}:${key}`;
  const properties: Record<string, JsonSchema> = Object.fromEntries(
    Object.entries(topKeys).map(([key, schema]) => [kitKey(key), asStackFileValue(schema)]),
  );
  properties[kitKey(WEB_CONSOLE_CLIENT_SECRET_KEY)] = {
    description: `The web console's OIDC client secret, only ever encrypted: pulumi config set --secret ${kitKey(WEB_CONSOLE_CLIENT_SECRET_KEY)} <client secret>`,
    type: "object",
    properties: { secure: { type: "string", minLength: 1 } },
    required: ["secure"],
    additionalProperties: false,
  };
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `${CONFIG_NAMESPACE} stack file`,
    description: `Generated from components/config/schema.ts by ${REGENERATE_COMMAND}; do not edit by hand.`,
    type: "object",
    properties: {
      config: {
        type: "object",
        properties,
        // Other namespaces (aws:region, azure-native:location) belong to their providers.
        patternProperties: { [`^(?!${CONFIG_NAMESPACE}:)[^:]+:.+$`]: {} },
        additionalProperties: false,
        required: [kitKey("environment")],
      },
    },
    required: ["config"],
  };
}

/**
 * A stack file holds a deep partial of the merged config: the preset supplies every key it leaves
 * out, objects merging key by key. Lists replace the preset's whole, so a list's items stay complete.
 */
function asStackFileValue(schema: JsonSchema): JsonSchema {
  return rewrite(schema, { partial: true });
}

// Formats every JSON Schema editor knows; zod's own (starts_with) repeat what the pattern says.
const STANDARD_FORMATS = new Set(["uri", "uuid", "email", "date-time", "date", "time", "hostname", "ipv4", "ipv6", "regex"]);

function rewrite(node: unknown, context: { partial: boolean }): JsonSchema {
  const schema = { ...(node as JsonSchema) };
  delete schema.$schema;
  if (context.partial) delete schema.required;
  // Partial branches of a union overlap (an object that names no `hosting` fits several), so any may match.
  if (schema.oneOf) {
    schema.anyOf = schema.oneOf;
    delete schema.oneOf;
  }
  if (typeof schema.format === "string" && !STANDARD_FORMATS.has(schema.format)) delete schema.format;
  // zod bounds every integer to the safe range; said in every hover, it would only be noise.
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;

  const rewriteEach = (value: unknown, partial: boolean) =>
    Array.isArray(value) ? value.map((item) => rewrite(item, { partial })) : rewrite(value, { partial });
  for (const keyword of ["anyOf", "allOf"]) {
    if (schema[keyword]) schema[keyword] = rewriteEach(schema[keyword], context.partial);
  }
  if (schema.properties) {
    schema.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, unknown>).map(([key, value]) => [key, rewrite(value, context)]),
    );
  }
  // Maps merge key by key like objects; a list's items are taken as given.
  if (typeof schema.additionalProperties === "object") schema.additionalProperties = rewrite(schema.additionalProperties, context);
  if (schema.items) schema.items = rewriteEach(schema.items, false);
  return schema;
}

/** The committed file's text: what `npm run config:schema` writes. */
export function stackFileSchemaText(): string {
  return `${JSON.stringify(stackFileSchema(), null, 2)}\n`;
}
