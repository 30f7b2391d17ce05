import { stackConfigSchema } from "../../components/config/schema";

/**
 * What each regular expression of the schema means, in the words of the schema's own message
 * (`must be a Kubernetes quantity such as 250m, 1, 512Mi or 2Gi`), found by walking the zod schema:
 * JSON Schema keeps the pattern and drops the message.
 */
export function patternMeanings(): Map<string, string> {
  const messages = new Map<string, Set<string>>();
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    if (def.check === "string_format" && def.pattern instanceof RegExp && typeof def.error === "function") {
      const message = (def.error as (issue: object) => unknown)({});
      if (typeof message === "string") messages.set(def.pattern.source, (messages.get(def.pattern.source) ?? new Set()).add(message));
    }
    for (const value of Object.values(def)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (typeof value === "object" && value !== null && !(value instanceof RegExp)) {
        if ((value as { _zod?: unknown })._zod) visit(value);
        // An object's shape: its keys' schemas.
        else Object.values(value).forEach(visit);
      }
    }
  };
  visit(stackConfigSchema);
  return new Map([...messages].flatMap(([pattern, found]) => {
    const meaning = sharedMeaning([...found]);
    return meaning ? [[pattern, meaning]] : [];
  }));
}

/** One message, or what several (`a DNS label for the cluster name: …`, `… for the worker pool: …`) say alike after their colon. */
function sharedMeaning(messages: string[]): string | undefined {
  if (messages.length === 1) return messages[0];
  const tails = messages.map((message) => message.slice(message.indexOf(": ") + 2));
  return messages.every((message) => message.includes(": ")) && new Set(tails).size === 1 ? tails[0] : undefined;
}
