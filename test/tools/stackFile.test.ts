import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StackFileNotFound, readStackFile } from "../../tools/synth/stackFile";
import { failureText } from "../../tools/synth/writeOutput";

describe("a stack name that names no stack file", () => {
  const missing = join(__dirname, "..", "..", "stacks", "Pulumi.nope.yaml");

  it("is refused with the stacks that do exist, not a file-system error", () => {
    expect(() => readStackFile(missing)).toThrow(StackFileNotFound);
    expect(() => readStackFile(missing)).toThrow(/^no stack file .*stacks\/Pulumi\.nope\.yaml; the stacks there are .*\bdev\b.*\bproduction\b/);
  });

  it("is printed by the synth and npm run config without a stack trace", () => {
    let error: unknown;
    try {
      readStackFile(missing);
    } catch (caught) {
      error = caught;
    }
    expect(failureText(error)).not.toContain("    at ");
  });
});
