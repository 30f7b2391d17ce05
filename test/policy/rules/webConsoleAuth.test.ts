import { describe, expect, it } from "vitest";
import { SIGN_IN_WAIVER } from "../../../components/temporal/webConsoleAuth";
import { webConsoleAuth } from "../../../policy/rules/webConsoleAuth";
import { compliantContainer, kubernetesObject, messagesOf, record, taskDefinition, workload } from "../harness";

const WEB_LABELS = { "app.kubernetes.io/component": "web" };
const consoleDeployment = (env: { name: string; value: string }[] = []) =>
  workload("temporal-web", { labels: WEB_LABELS, containers: [compliantContainer({ name: "ui", image: "temporalio/ui:2.52.0", env: [{ name: "TEMPORAL_UI_PORT", value: "8080" }, ...env] })] });
const webService = (type = "ClusterIP") => kubernetesObject("kubernetes:core/v1:Service", "temporal-web", { spec: { type, selector: WEB_LABELS, ports: [{ port: 8080 }] } });
const ingress = kubernetesObject("kubernetes:networking.k8s.io/v1:Ingress", "temporal-web", {
  spec: { rules: [{ host: "temporal.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "temporal-web", port: { number: 8080 } } } }] } }] },
});

function ecsConsole(environment: { name: string; value: string }[], tags: Record<string, string> = {}) {
  const definition = taskDefinition("web", [{ name: "web", image: "temporalio/ui:2.52.0", environment }]);
  const service = record("aws:ecs/service:Service", "web-service", { desiredCount: 2, loadBalancers: [{ containerName: "web", containerPort: 8080 }], tags }, { dependsOn: [definition.urn] });
  return [definition, service];
}

describe("web-console-auth", () => {
  it("reports a production console behind an Ingress without auth", async () => {
    expect(await messagesOf(webConsoleAuth, [consoleDeployment(), webService(), ingress])).toEqual([
      "temporal/temporal-web: the console is exposed through Service temporal/temporal-web without TEMPORAL_AUTH_ENABLED=true.",
    ]);
  });

  it("reports a console Service of type LoadBalancer without auth", async () => {
    expect(await messagesOf(webConsoleAuth, [consoleDeployment([{ name: "TEMPORAL_AUTH_ENABLED", value: "false" }]), webService("LoadBalancer")])).toHaveLength(1);
  });

  it("reports an ECS console behind a load balancer without auth", async () => {
    expect(await messagesOf(webConsoleAuth, ecsConsole([]))).toEqual(['web-service: the console container "web" is behind a load balancer without TEMPORAL_AUTH_ENABLED=true.']);
  });

  it("accepts an exposed console with auth, and a console reachable only inside the cluster", async () => {
    const auth = [{ name: "TEMPORAL_AUTH_ENABLED", value: "true" }];
    expect(await messagesOf(webConsoleAuth, [consoleDeployment(auth), webService(), ingress, ...ecsConsole(auth)])).toEqual([]);
    expect(await messagesOf(webConsoleAuth, [consoleDeployment(), webService()])).toEqual([]);
  });

  it("accepts a console whose sign-in the stack file waived explicitly, as the components record it, and nothing else", async () => {
    const waived = consoleDeployment();
    (waived.inputs as { metadata: Record<string, unknown> }).metadata.annotations = { [SIGN_IN_WAIVER.annotation]: SIGN_IN_WAIVER.value };
    expect(await messagesOf(webConsoleAuth, [waived, webService(), ingress, ...ecsConsole([], { [SIGN_IN_WAIVER.tag]: SIGN_IN_WAIVER.value })])).toEqual([]);
    expect(await messagesOf(webConsoleAuth, ecsConsole([], { [SIGN_IN_WAIVER.tag]: "yes" }))).toHaveLength(1);
  });

  it("does not apply to staging", async () => {
    expect(await messagesOf(webConsoleAuth, [consoleDeployment(), webService(), ingress], "staging")).toEqual([]);
  });
});
