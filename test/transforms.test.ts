import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parseStackConfig } from "../components/config/parse";
import { TemporalCluster } from "../components/temporalCluster";
import { kitMocks } from "../tools/synth/mocks";
import { type ResourceRecord, recordRegistrations } from "../tools/synth/recorder";
import { K8S, settle } from "./helpers/mockRuntime";

/**
 * The example of docs/pod-overrides.md ("From a Pulumi program: transforms"): a library user's
 * transform that gives every Deployment of the cluster a priority class, which no stack-file key offers.
 */
const withPriorityClass: pulumi.ResourceTransform = ({ type, props, opts }) => {
  if (type !== "kubernetes:apps/v1:Deployment") return undefined;
  const template = props.spec.template;
  return { props: { ...props, spec: { ...props.spec, template: { ...template, spec: { ...template.spec, priorityClassName: "temporal-critical" } } } }, opts };
};

/** The transforms each registration carried to the (mock) engine, by resource type and name. */
const carried = new Map<string, pulumi.ResourceTransform[]>();
let records: ResourceRecord[];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      ...kitMocks,
      newResource: (args) => {
        carried.set(`${args.type} ${args.name}`, args.transforms ?? []);
        return kitMocks.newResource(args);
      },
    },
    "temporal-kit",
    "unit",
    false,
  );
  records = recordRegistrations().resources;
  new TemporalCluster("lib", { config: parseStackConfig({ environment: "dev" }, "stacks/Pulumi.test.yaml") }, { transforms: [withPriorityClass] });
  await settle();
}, 60_000);

const record = (type: string, name: string) => records.find((candidate) => candidate.type === type && candidate.name === name)!;

describe("transforms passed to TemporalCluster", () => {
  it("reach the engine on the cluster component, which applies them to every resource below it", () => {
    // @pulumi/pulumi 3.270.0: the SDK registers a resource's own transforms (runtime/resource.js,
    // callbackServer.registerTransform) and the engine applies each parent's to its children; the
    // mock monitor hands them to newResource but runs none (runtime/mocks.d.ts MockResourceArgs.transforms).
    expect(carried.get("temporal-kit:index:TemporalCluster lib")).toEqual([withPriorityClass]);
    const frontend = record(K8S.deployment, "lib-frontend-deployment");
    const ancestors: string[] = [];
    for (let parent = frontend.parent; parent; parent = records.find((candidate) => candidate.urn === parent)?.parent ?? null) ancestors.push(parent);
    expect(ancestors.some((urn) => urn.endsWith("temporal-kit:index:TemporalCluster::lib"))).toBe(true);
  });

  it("change a role's Deployment as the documented example says", async () => {
    const frontend = record(K8S.deployment, "lib-frontend-deployment");
    const result = await withPriorityClass({ custom: true, type: frontend.type, name: frontend.name, props: frontend.inputs, opts: {} });
    expect(result!.props.spec.template.spec.priorityClassName).toBe("temporal-critical");
    expect(result!.props.spec.template.spec.containers[0].name).toBe("temporal");
    expect(await withPriorityClass({ custom: true, type: K8S.service, name: "x", props: {}, opts: {} })).toBeUndefined();
  });
});
