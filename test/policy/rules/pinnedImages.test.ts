import { describe, expect, it } from "vitest";
import { pinnedImages, unpinnedReason } from "../../../policy/rules/pinnedImages";
import { compliantContainer, messagesOf, taskDefinition, workload } from "../harness";

describe("pinned-images", () => {
  it("accepts version tags and digests, including behind a registry port", () => {
    for (const image of ["temporalio/server:1.31.2", "registry.local:5000/team/worker:2.0", "mysql@sha256:" + "a".repeat(64)]) {
      expect(unpinnedReason(image), image).toBeUndefined();
    }
  });

  it("reports a Deployment container on the latest tag", async () => {
    const messages = await messagesOf(pinnedImages, [workload("web", { containers: [compliantContainer({ image: "temporalio/ui:latest" })] })]);
    expect(messages).toEqual(['temporal/web: container "app" uses image "temporalio/ui:latest" with the floating tag "latest".']);
  });

  it("reports a tagless init container image", async () => {
    const deployment = workload("web", { pod: { initContainers: [compliantContainer({ name: "wait", image: "registry.local:5000/busybox" })] } });
    expect(await messagesOf(pinnedImages, [deployment])).toEqual(['temporal/web: container "wait" uses image "registry.local:5000/busybox" without a tag.']);
  });

  it("reports an ECS container without a tag", async () => {
    const messages = await messagesOf(pinnedImages, [taskDefinition("web", [{ name: "web", image: "temporalio/ui" }])]);
    expect(messages).toEqual(['task web: container "web" uses image "temporalio/ui" without a tag.']);
  });

  it("accepts pinned Kubernetes and ECS images", async () => {
    expect(await messagesOf(pinnedImages, [workload("web"), taskDefinition("web", [{ name: "web", image: "temporalio/ui:2.52.0" }])])).toEqual([]);
  });
});
