import { parse } from "yaml";

/**
 * The config file as the server renders it at start (sprig, `# enable-template`), for the template
 * actions the kit writes: `env "X"`, `env "X" | quote` and `if eq (env "X") "v"`…`end`.
 */
export function renderAsServer(text: string, env: Record<string, string>): unknown {
  const rendered = text
    .replace(/\{\{ if eq \(env "([^"]+)"\) "([^"]*)" \}\}(.*?)\{\{ end \}\}/g, (_, variable: string, equals: string, value: string) => (env[variable] === equals ? value : ""))
    .replace(/\{\{ env "([^"]+)" \| quote \}\}/g, (_, variable: string) => JSON.stringify(env[variable] ?? ""))
    .replace(/\{\{ env "([^"]+)" \}\}/g, (_, variable: string) => env[variable] ?? "");
  return parse(rendered);
}
