import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../childOptions";
import type { ClusterNames } from "./names";
import type { SecretKeyRef } from "./secretRef";

export interface ManagedSqlCredentialsArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  /** The database password, a Pulumi secret from the cloud platform. */
  password: pulumi.Input<string>;
  /** PEM bundle of the CAs that sign the database's server certificate. */
  caBundle: string;
}

const PASSWORD_KEY = "password";
export const STORE_CA_FILE = "ca.pem";
/** Where roles and the schema job find the database CA bundle. */
export const STORE_CA_DIR = "/etc/temporal/store-ca";

/**
 * What the Temporal pods need to reach a managed database (RDS, Azure Database): its password in
 * a Kubernetes Secret, and its CA bundle in a ConfigMap so that TLS verifies the server.
 */
export class ManagedSqlCredentials extends pulumi.ComponentResource {
  readonly password: SecretKeyRef;
  readonly caConfigMapName: pulumi.Output<string>;

  constructor(name: string, args: ManagedSqlCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:ManagedSqlCredentials", name, {}, opts);
    const labels = args.names.labels("store-credentials");

    const secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      {
        metadata: { name: args.names.storeCredentials, namespace: args.namespace, labels },
        type: "Opaque",
        stringData: { [PASSWORD_KEY]: pulumi.secret(args.password) },
      },
      childOf(this, opts),
    );
    this.password = { name: secret.metadata.name, key: PASSWORD_KEY };

    const ca = new k8s.core.v1.ConfigMap(
      `${name}-ca`,
      {
        metadata: { name: args.names.storeCa, namespace: args.namespace, labels },
        data: { [STORE_CA_FILE]: args.caBundle },
      },
      childOf(this, opts),
    );
    this.caConfigMapName = ca.metadata.name;

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
