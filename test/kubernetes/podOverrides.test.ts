import { describe, expect, it } from "vitest";
import { type KitPodTemplate, withPodOverrides } from "../../components/kubernetes/podOverrides";

const selector = { "app.kubernetes.io/component": "history" };
const template = (): KitPodTemplate => ({
  metadata: { labels: { ...selector, "app.kubernetes.io/part-of": "temporal-kit" }, annotations: { "temporal-kit/config-checksum": "abc" } },
  spec: {
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } }],
    containers: [
      { name: "sidecar", image: "busybox:1.36" },
      { name: "temporal", image: "temporalio/server:1.31.2", env: [{ name: "POD_IP", value: "x" }], volumeMounts: [{ name: "tmp", mountPath: "/tmp" }] },
    ],
    volumes: [{ name: "tmp", emptyDir: {} }],
  },
});
const target = { container: "temporal", selector };

describe("withPodOverrides", () => {
  it("gives the kit's template back untouched when the stack sets no pod block", () => {
    const given = template();
    expect(withPodOverrides(given, undefined, target)).toBe(given);
  });

  it("adds to the named container only, after the kit's own env and mounts", () => {
    const { spec } = withPodOverrides(template(), { env: { A: "1" }, volumes: [{ name: "extra", emptyDir: {} }], volumeMounts: [{ name: "extra", mountPath: "/extra" }] }, target);
    expect(spec.containers[0]).toEqual({ name: "sidecar", image: "busybox:1.36" });
    expect(spec.containers[1].env).toEqual([{ name: "POD_IP", value: "x" }, { name: "A", value: "1" }]);
    expect(spec.containers[1].volumeMounts!.map((mount) => mount.mountPath)).toEqual(["/tmp", "/extra"]);
    expect(spec.volumes!.map((volume) => volume.name)).toEqual(["tmp", "extra"]);
  });

  it("keeps the kit's spread and adds the user's, counting the workload's own pods unless told otherwise", () => {
    const { spec } = withPodOverrides(template(), { topologySpreadConstraints: [{ maxSkew: 2, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }] }, target);
    expect(spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
      { maxSkew: 2, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: selector } },
    ]);
  });

  it("refuses, for a library caller past the config check, anything that would replace what the kit set", () => {
    expect(() => withPodOverrides(template(), { labels: { "app.kubernetes.io/component": "x" } }, target)).toThrow("pod overrides may not replace the kit's own labels: app.kubernetes.io/component");
    expect(() => withPodOverrides(template(), { annotations: { "temporal-kit/config-checksum": "x" } }, target)).toThrow("annotations: temporal-kit/config-checksum");
    expect(() => withPodOverrides(template(), { env: { POD_IP: "y" } }, target)).toThrow("env: POD_IP");
    expect(() => withPodOverrides(template(), { volumes: [{ name: "tmp", emptyDir: {} }] }, target)).toThrow("volumes: tmp");
    expect(() => withPodOverrides(template(), { volumeMounts: [{ name: "x", mountPath: "/tmp" }] }, target)).toThrow("mount paths: /tmp");
    expect(() => withPodOverrides(template(), { env: { A: "1" } }, { ...target, container: "nope" })).toThrow("container nope");
  });

  it("counts a StatefulSet's claim templates among the kit's volumes, which the pod template does not list", () => {
    const data = { volumes: [{ name: "data", emptyDir: {} }] };
    expect(() => withPodOverrides(template(), data, { ...target, claimTemplates: ["data"] })).toThrow("pod overrides may not replace the kit's own volumes: data");
    expect(withPodOverrides(template(), data, target).spec.volumes!.map((volume) => volume.name)).toEqual(["tmp", "data"]);
  });
});
