import { stringify } from "yaml";

/**
 * A value the server fills in at start from its environment. The 1.30+ server renders a config
 * file whose first line is `# enable-template` with sprig; this is how a password or the pod IP
 * reaches the config without ever being written into it.
 */
export abstract class TemplateValue {
  abstract toTemplate(): string;
}

export class EnvRef extends TemplateValue {
  constructor(
    readonly variable: string,
    readonly quoted: boolean,
  ) {
    super();
  }

  toTemplate(): string {
    return this.quoted ? `{{ env "${this.variable}" | quote }}` : `{{ env "${this.variable}" }}`;
  }
}

/** A secret or an address read from the environment; quoted so any password stays one YAML string. */
export const envString = (variable: string) => new EnvRef(variable, true);
/** A plain scalar read from the environment, such as an IP address. */
export const envScalar = (variable: string) => new EnvRef(variable, false);

/**
 * A string the server sees only when the environment variable has the given value, an empty
 * value otherwise: for a setting every role reads but one role alone should act on.
 */
export class WhenEnv extends TemplateValue {
  constructor(
    readonly variable: string,
    readonly equals: string,
    readonly value: string,
  ) {
    super();
  }

  toTemplate(): string {
    // A JSON string is a YAML double-quoted scalar, so the value stays one string whatever it holds.
    return `{{ if eq (env ${JSON.stringify(this.variable)}) ${JSON.stringify(this.equals)} }}${JSON.stringify(this.value)}{{ end }}`;
  }
}

export const TEMPLATE_HEADER = "# enable-template";

/** Renders a config tree as a sprig-enabled YAML file, with every EnvRef as a template action. */
export function renderTemplatedYaml(tree: unknown): string {
  const refs: TemplateValue[] = [];
  const withPlaceholders = replaceRefs(tree, refs);
  let text = stringify(withPlaceholders, { lineWidth: 0 });
  refs.forEach((ref, index) => {
    text = text.replace(placeholder(index), ref.toTemplate());
  });
  return `${TEMPLATE_HEADER}\n${text}`;
}

const placeholder = (index: number) => `__temporal_kit_env_${index}__`;

function replaceRefs(node: unknown, refs: TemplateValue[]): unknown {
  if (node instanceof TemplateValue) {
    refs.push(node);
    return placeholder(refs.length - 1);
  }
  if (Array.isArray(node)) return node.map((item) => replaceRefs(item, refs));
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replaceRefs(value, refs)]));
  }
  return node;
}
