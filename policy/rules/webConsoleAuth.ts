import type { PolicyResource } from "@pulumi/policy";
import { ECS_SERVICE_TYPE, TASK_DEFINITION_TYPE, ecsContainersOf } from "../ecs";
import { containersOf, isKubernetesType, objectName, podLabelsOf, podSpecOf, selects } from "../kubernetes";
import { ofType, stackPolicy } from "../stackRule";
import { SIGN_IN_WAIVER } from "../../components/temporal/webConsoleAuth";

/** The web console is known by its image, or by the port variable only it reads. */
const isConsoleImage = (image: string | undefined) => /(^|\/)temporalio\/ui(:|@|$)/.test(image ?? "");
const isConsole = (container: { image?: string; env?: { name: string }[]; environment?: { name: string }[] }) =>
  isConsoleImage(container.image) || [...(container.env ?? []), ...(container.environment ?? [])].some((variable) => variable.name === "TEMPORAL_UI_PORT");

const authEnabled = (variables: { name: string; value?: string }[] | undefined) =>
  (variables ?? []).some((variable) => variable.name === "TEMPORAL_AUTH_ENABLED" && String(variable.value).toLowerCase() === "true");

function exposingKubernetesServices(resources: PolicyResource[]): PolicyResource[] {
  const services = resources.filter((resource) => isKubernetesType(resource.type, "core/v1:Service"));
  const ingressBackends = new Set<string>();
  for (const ingress of resources.filter((resource) => isKubernetesType(resource.type, "networking.k8s.io/v1:Ingress"))) {
    const namespace = ingress.props.metadata?.namespace ?? "default";
    const backends = [ingress.props.spec?.defaultBackend, ...(ingress.props.spec?.rules ?? []).flatMap((rule: any) => (rule.http?.paths ?? []).map((path: any) => path.backend))];
    for (const backend of backends) if (backend?.service?.name) ingressBackends.add(`${namespace}/${backend.service.name}`);
  }
  return services.filter(
    (service) =>
      ["LoadBalancer", "NodePort"].includes(service.props.spec?.type) ||
      ingressBackends.has(`${service.props.metadata?.namespace ?? "default"}/${service.props.metadata?.name}`),
  );
}

export const webConsoleAuth = stackPolicy({
  name: "web-console-auth",
  description:
    "In production the web console is never reachable through an Ingress, a LoadBalancer/NodePort Service or a load balancer unless it runs with TEMPORAL_AUTH_ENABLED=true, or the stack file waived sign-in explicitly (webConsole.allowUnauthenticated, recorded as a temporal-kit/console-sign-in annotation or tag).",
  environments: ["production"],
  check: (resources, reportViolation) => {
    const exposed = exposingKubernetesServices(resources);
    for (const workload of resources.filter((resource) => podSpecOf(resource.type, resource.props))) {
      const consoles = containersOf(podSpecOf(workload.type, workload.props)!).filter(({ container }) => isConsole(container));
      if (consoles.length === 0) continue;
      const labels = podLabelsOf(workload.type, workload.props);
      const namespace = workload.props.metadata?.namespace ?? "default";
      const reachable = exposed.find(
        (service) => (service.props.metadata?.namespace ?? "default") === namespace && Object.keys(service.props.spec?.selector ?? {}).length > 0 && selects(service.props.spec.selector, labels),
      );
      if (!reachable || workload.props.metadata?.annotations?.[SIGN_IN_WAIVER.annotation] === SIGN_IN_WAIVER.value) continue;
      for (const { container } of consoles) {
        if (!authEnabled(container.env)) {
          reportViolation(`${objectName(workload.props)}: the console is exposed through Service ${objectName(reachable.props)} without TEMPORAL_AUTH_ENABLED=true.`, workload.urn);
        }
      }
    }
    // On ECS a service behind a load balancer is exposed; its task definition is among its dependencies.
    const waived = (service: PolicyResource) => service.props.tags?.[SIGN_IN_WAIVER.tag] === SIGN_IN_WAIVER.value;
    for (const service of ofType(resources, ECS_SERVICE_TYPE).filter((candidate) => (candidate.props.loadBalancers ?? []).length > 0 && !waived(candidate))) {
      const balanced = new Set((service.props.loadBalancers as { containerName: string }[]).map((balancer) => balancer.containerName));
      for (const taskDefinition of service.dependencies.filter((dependency) => dependency.type === TASK_DEFINITION_TYPE)) {
        for (const container of ecsContainersOf(taskDefinition.props) ?? []) {
          if (balanced.has(container.name) && isConsole(container) && !authEnabled(container.environment)) {
            reportViolation(`${service.name}: the console container "${container.name}" is behind a load balancer without TEMPORAL_AUTH_ENABLED=true.`, service.urn);
          }
        }
      }
    }
  },
});
