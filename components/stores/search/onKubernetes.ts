import type * as pulumi from "@pulumi/pulumi";
import type { VisibilityConfig } from "../../config/schema";
import type { SecretKeyRef } from "../../kubernetes/secretRef";
import type { StoresArgs } from "../../kubernetes/stores";
import type { ElasticsearchStoreSpec } from "../../temporal/serverConfig";
import type { ManagedStore } from "../contract";

/** A visibility store that is neither SQL server: Elasticsearch in the cluster, or OpenSearch. */
export type SearchConfig = Extract<VisibilityConfig, { index: string }>;

/** A search kind's part on Kubernetes: visibility's connection spec, password if any, and what to wait for. */
export type SearchOnKubernetes = (
  name: string,
  args: StoresArgs,
  config: SearchConfig,
  managed: { store?: ManagedStore; password?: SecretKeyRef },
  opts: pulumi.ComponentResourceOptions,
) => { spec: pulumi.Output<ElasticsearchStoreSpec>; password?: SecretKeyRef; ready: pulumi.Resource[] };
