import { beforeAll, describe, expect, it } from "vitest";
import { PRESETS } from "../../components/config/presets";
import { ClusterNames } from "../../components/kubernetes/names";
import { WebConsole } from "../../components/kubernetes/webConsole";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { K8S, envOf, ofType, onlyOfType, podSpecOf, promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

let records: ResourceRecord[];
let console_: WebConsole;

beforeAll(async () => {
  ({ resources: records } = await startMockRuntime());
  console_ = new WebConsole("web", {
    names: new ClusterNames("temporal"),
    namespace: "temporal",
    config: { ...PRESETS.staging.webConsole, corsOrigins: ["https://temporal.example.com"] },
    frontendAddress: "temporal-frontend.temporal.svc.cluster.local:7233",
    highAvailability: true,
  });
  new WebConsole("solo", {
    names: new ClusterNames("solo"),
    namespace: "temporal",
    config: { ...PRESETS.dev.webConsole, replicas: 1 },
    frontendAddress: "solo-frontend.temporal.svc.cluster.local:7233",
    highAvailability: false,
  });
  await settle();
});

describe("WebConsole", () => {
  const container = () => podSpecOf(onlyOfType(records, K8S.deployment, "web-")).containers[0];

  it("points the UI at the frontend", () => {
    expect(envOf(container(), "TEMPORAL_ADDRESS")?.value).toBe("temporal-frontend.temporal.svc.cluster.local:7233");
    expect(envOf(container(), "TEMPORAL_CORS_ORIGINS")?.value).toBe("https://temporal.example.com");
  });

  it("runs the pinned UI image with health probes and resources", () => {
    expect(container().image).toBe(PRESETS.staging.webConsole.image);
    expect(container().readinessProbe).toMatchObject({ httpGet: { path: "/healthz" } });
    expect(container().livenessProbe).toBeDefined();
    expect(container().resources?.requests).toBeDefined();
  });

  it("is reachable through a ClusterIP service and says how to open it", async () => {
    expect((onlyOfType(records, K8S.service, "web-").inputs as { spec: { ports: { port: number }[] } }).spec.ports[0].port).toBe(8080);
    expect(await promiseOf(console_.accessCommand)).toBe("kubectl port-forward -n temporal svc/temporal-web 8080:8080");
    expect(await promiseOf(console_.url)).toBe("http://localhost:8080");
  });

  it("keeps one replica up during drains when it runs more than one, and budgets nothing for a single pod", () => {
    expect(ofType(records, K8S.pdb).map((record) => (record.inputs as { metadata: { name: string } }).metadata.name)).toEqual(["temporal-web"]);
  });
});
