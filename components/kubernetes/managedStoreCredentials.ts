import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import type { ClusterNames } from "./names";
import type { SecretKeyRef } from "./secretRef";

export interface ManagedStoreCredentialsArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  /** The stores' passwords, Pulumi secrets from the cloud platform; visibility only when it is a store of its own. */
  passwords: { default?: pulumi.Input<string>; visibility?: pulumi.Input<string> };
  /** PEM bundle of the CAs that sign the stores' server certificates; none when the system CAs do. */
  caBundle?: pulumi.Input<string>;
}

const PASSWORD_KEYS = { default: "password", visibility: "visibility-password" } as const;
export const STORE_CA_FILE = "ca.pem";
/** Where roles and the schema job find the database CA bundle. */
export const STORE_CA_DIR = "/etc/temporal/store-ca";

/**
 * What the Temporal pods need to reach managed stores (RDS, Azure Database, Azure Cassandra,
 * OpenSearch): their passwords in a Kubernetes Secret, and the CA bundle in a ConfigMap so that TLS
 * verifies the servers.
 */
export class ManagedStoreCredentials extends pulumi.ComponentResource {
  readonly passwords: { default?: SecretKeyRef; visibility?: SecretKeyRef } = {};
  readonly caConfigMapName?: pulumi.Output<string>;

  constructor(name: string, args: ManagedStoreCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:ManagedStoreCredentials", name, {}, opts);
    const labels = args.names.labels("store-credentials");

    const secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      {
        metadata: { name: args.names.storeCredentials, namespace: args.namespace, labels },
        type: "Opaque",
        stringData: Object.fromEntries(
          (["default", "visibility"] as const)
            .filter((store) => args.passwords[store] !== undefined)
            .map((store) => [PASSWORD_KEYS[store], pulumi.secret(args.passwords[store]!)]),
        ),
      },
      childOf(this, opts),
    );
    for (const store of ["default", "visibility"] as const) {
      if (args.passwords[store] !== undefined) this.passwords[store] = { name: secret.metadata.name, key: PASSWORD_KEYS[store] };
    }

    if (args.caBundle !== undefined) {
      const ca = new k8s.core.v1.ConfigMap(
        `${name}-ca`,
        {
          metadata: { name: args.names.storeCa, namespace: args.namespace, labels },
          data: { [STORE_CA_FILE]: args.caBundle },
        },
        childOf(this, opts),
      );
      this.caConfigMapName = ca.metadata.name;
    }

    this.registerOutputs({ caConfigMapName: this.caConfigMapName });
  }
}

/** The volume and mount that put the CA bundle at STORE_CA_DIR in a pod. */
export function storeCaVolume(configMapName: pulumi.Input<string>) {
  return {
    volume: { name: "store-ca", configMap: { name: configMapName } },
    mount: { name: "store-ca", mountPath: STORE_CA_DIR, readOnly: true },
  };
}
