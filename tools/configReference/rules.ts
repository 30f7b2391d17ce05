export function rulesSection(): string[] {
  return ["## Rules between keys", ""];
}
