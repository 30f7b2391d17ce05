import { beforeAll, describe, expect, it } from "vitest";
import { DynamicConfigSource } from "../../../components/aws/ecs/dynamicConfigSource";
import type { ResourceRecord } from "../../../tools/synth/recorder";
import { settle, startMockRuntime } from "../../helpers/mockRuntime";

let records: ResourceRecord[];
const CONTENT = "history.persistenceMaxQPS:\n  - value: 3000\n    constraints: {}\n";

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  new DynamicConfigSource("dyn", { content: CONTENT, tags: { "temporal-kit:environment": "test" } });
  await settle();
});

const only = (type: string) => {
  const matches = records.filter((record) => record.type === type);
  expect(matches, type).toHaveLength(1);
  return matches[0];
};

describe("DynamicConfigSource", () => {
  it("keeps the rendered file verbatim and visible to previews, in a plain-text parameter that grows past 4 KB on its own", () => {
    const inputs = only("aws:ssm/parameter:Parameter").inputs;
    expect(inputs).toMatchObject({ type: "String", tier: "Intelligent-Tiering", insecureValue: CONTENT });
    expect(inputs.value).toBeUndefined();
  });

  it("lets its readers get that one parameter and nothing else", () => {
    const parameter = only("aws:ssm/parameter:Parameter");
    const policy = JSON.parse(String(only("aws:iam/policy:Policy").inputs.policy));
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Action).toEqual(["ssm:GetParameter"]);
    expect(String(policy.Statement[0].Resource)).toContain(parameter.name);
    expect(JSON.stringify(policy)).not.toContain('"*"');
  });
});
