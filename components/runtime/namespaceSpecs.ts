import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/schema";
import type { ArchivalSpec } from "../temporal/archival";
import { NamespaceSpec, declaredNamespaceSpecs } from "../temporal/namespaceRegistration";

/** Every declared namespace as the registration script takes it, archival stated in full when on. */
export function namespaceSpecsOf(config: StackConfig, archival: pulumi.Output<ArchivalSpec | undefined>): pulumi.Output<NamespaceSpec[]> {
  return archival.apply((spec) => declaredNamespaceSpecs(config.namespaces, spec));
}
