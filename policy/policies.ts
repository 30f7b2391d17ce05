import type { Policies } from "@pulumi/policy";
import { databaseBackups } from "./rules/databaseBackups";
import { deletionProtection } from "./rules/deletionProtection";
import { ecsContainerHardening } from "./rules/ecsContainerHardening";
import { encryptionAtRest } from "./rules/encryptionAtRest";
import { networkPolicies } from "./rules/networkPolicies";
import { noPlaintextSecretEnv } from "./rules/noPlaintextSecretEnv";
import { noPublicDatabase } from "./rules/noPublicDatabase";
import { pdbForReplicatedWorkloads } from "./rules/pdbForReplicatedWorkloads";
import { pinnedImages } from "./rules/pinnedImages";
import { podHardening } from "./rules/podHardening";
import { probesAndResources } from "./rules/probesAndResources";
import { productionReplicas } from "./rules/productionReplicas";
import { readOnlyRootFilesystem } from "./rules/readOnlyRootFilesystem";
import { temporalMtls } from "./rules/temporalMtls";
import { webConsoleAuth } from "./rules/webConsoleAuth";

/** Every rule of the pack; index.ts serves them to the Pulumi CLI, offline.ts runs them on a synth. */
export const policies: Policies = [
  noPlaintextSecretEnv,
  noPublicDatabase,
  encryptionAtRest,
  pinnedImages,
  probesAndResources,
  podHardening,
  ecsContainerHardening,
  readOnlyRootFilesystem,
  databaseBackups,
  deletionProtection,
  productionReplicas,
  pdbForReplicatedWorkloads,
  networkPolicies,
  temporalMtls,
  webConsoleAuth,
];
