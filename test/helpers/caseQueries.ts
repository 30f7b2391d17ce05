import { expect } from "vitest";
import type { ResourceRecord } from "../../tools/synth/recorder";

/**
 * Lookups for component tests that build one instance per named case (`prd`, `stg`, ...) and name
 * every child `<case>-...`: the children of a case by type, the only one of a type, and the
 * component itself. `records` is read when called, since tests fill it in beforeAll.
 */
export function caseQueries<Case extends string>(records: () => ResourceRecord[], componentType: string) {
  const of = (name: Case, type: string) => records().filter((record) => record.type === type && record.name.startsWith(`${name}-`));
  const only = (name: Case, type: string) => {
    const matches = of(name, type);
    expect(matches, `${name}: ${type}`).toHaveLength(1);
    return matches[0];
  };
  const componentOf = (name: Case) => records().find((record) => record.type === componentType && record.name === name)!;
  return { of, only, componentOf };
}
