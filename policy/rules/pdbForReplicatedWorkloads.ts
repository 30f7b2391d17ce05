import { objectName, selects } from "../kubernetes";
import { ofType, stackPolicy } from "../stackRule";
import { REPLICATED_KINDS, minimumReplicas } from "./productionReplicas";

export const pdbForReplicatedWorkloads = stackPolicy({
  name: "pdb-for-replicated-workloads",
  description: "In production every Deployment or StatefulSet with more than one replica is covered by a PodDisruptionBudget in its namespace.",
  environments: ["production"],
  check: (resources, reportViolation) => {
    const budgets = ofType(resources, "kubernetes:policy/v1:PodDisruptionBudget");
    for (const workload of REPLICATED_KINDS.flatMap((type) => ofType(resources, type))) {
      if (minimumReplicas(workload, resources) < 2) continue;
      const podLabels = workload.props.spec?.template?.metadata?.labels;
      const covered = budgets.some(
        (budget) =>
          budget.props.metadata?.namespace === workload.props.metadata?.namespace &&
          // A PDB with an empty selector would match every pod; one must name this workload's pods.
          Object.keys(budget.props.spec?.selector?.matchLabels ?? {}).length > 0 &&
          selects(budget.props.spec.selector.matchLabels, podLabels),
      );
      if (!covered) reportViolation(`${objectName(workload.props)} has no PodDisruptionBudget selecting its pods.`, workload.urn);
    }
  },
});
