import { objectName, podLabelsOf, podSpecOf, selectorMatches } from "../kubernetes";
import { ofType, stackPolicy } from "../stackRule";

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

export const networkPolicies = stackPolicy({
  name: "network-policies",
  description:
    "Outside dev, the pods of every Kubernetes workload are isolated for ingress: a NetworkPolicy with policyTypes Ingress in their namespace selects them.",
  environments: ["staging", "production"],
  check: (resources, reportViolation) => {
    const ingressPolicies = ofType(resources, NETWORK_POLICY).filter((policy) => (policy.props.spec?.policyTypes ?? ["Ingress"]).includes("Ingress"));
    for (const workload of resources.filter((resource) => podSpecOf(resource.type, resource.props))) {
      const namespace = workload.props.metadata?.namespace ?? "default";
      const labels = podLabelsOf(workload.type, workload.props);
      const isolated = ingressPolicies.some(
        (policy) => (policy.props.metadata?.namespace ?? "default") === namespace && selectorMatches(policy.props.spec?.podSelector, labels),
      );
      if (!isolated) reportViolation(`${objectName(workload.props)}: no NetworkPolicy isolates its pods for ingress.`, workload.urn);
    }
  },
});
