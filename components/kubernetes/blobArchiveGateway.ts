import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childOf } from "../childOptions";
import type { ImageUser } from "../imageUsers";
import type { RoleName } from "../temporal/roles";
import { archiveGatewayPolicies } from "./archiveGatewayPolicies";
import { type ClusterNames, serviceHost } from "./names";
import { disruptionBudget, hardenedPod, needsDisruptionBudget, restrictedContainerSecurity, scratchTmp, spreadAcrossZonesAndNodes } from "./podDefaults";
import type { S3Credentials } from "./secretRef";

/**
 * gaul/s3proxy 4.1.1, a 4.x release (4.0.0 came in August 2026). Signing in with managed identity
 * through DefaultAzureCredential came with gaul/s3proxy#728 (2024), but server-side copy under it
 * threw until gaul/s3proxy#944 (merged December 2025), so only a 2026 release has both.
 */
export const S3PROXY_IMAGE = "andrewgaul/s3proxy:4.1.1";

/**
 * The image declares no USER, so it would run as root. Nothing in it needs root: the JRE and the jar
 * under /opt are world-readable, the entrypoint writes only its properties file to /tmp (an
 * emptyDir here), and the listener moves off port 80, which takes a capability the pod drops.
 */
export const S3PROXY_USER: ImageUser = { uid: 65532, gid: 65532 };

export const S3_PORT = 8080;
const ACCESS_KEY_ID = "access-key-id";
const SECRET_ACCESS_KEY = "secret-access-key";

/** The annotation the AKS workload identity webhook reads the identity's client id from. */
export const WORKLOAD_IDENTITY_CLIENT_ID = "azure.workload.identity/client-id";
/** The pod label that makes the webhook project a token and set AZURE_CLIENT_ID and friends. */
export const WORKLOAD_IDENTITY_USE = "azure.workload.identity/use";

export interface BlobArchiveGatewayArgs {
  names: ClusterNames;
  namespace: pulumi.Input<string>;
  /** The storage account's blob endpoint, https://<account>.blob.core.windows.net. */
  blobEndpoint: pulumi.Input<string>;
  /** The managed identity (federated with this gateway's service account) that may write the archive container. */
  identityClientId: pulumi.Input<string>;
  /** The Temporal roles that call the gateway. */
  clients: RoleName[];
  /** Two replicas spread over zones and nodes, with a disruption budget. */
  highAvailability: boolean;
  /** Add the gateway's NetworkPolicies (with NetworkIsolation's default deny). */
  networkPolicies: boolean;
}

/**
 * An S3 API in front of one Blob Storage account, for Temporal's S3 archiver (Temporal has no Blob
 * archiver, temporalio/temporal#5516): s3proxy with its Azure SDK provider, signed in to Entra ID
 * as the AKS workload identity of its own service account, so no storage key exists anywhere.
 *
 * Its S3 side accepts only requests signed with a key pair generated here (a Pulumi secret, kept in
 * a Kubernetes Secret that the gateway and its clients read by reference), and, with network
 * policies on, only from the archiving roles. It keeps no state: replicas are interchangeable.
 */
export class BlobArchiveGateway extends pulumi.ComponentResource {
  readonly serviceAccount: k8s.core.v1.ServiceAccount;
  readonly deployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;
  readonly credentials: S3Credentials;
  /** http://<service>.<namespace>.svc.cluster.local:8080, the S3 endpoint the archiver calls. */
  readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: BlobArchiveGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("temporal-kit:kubernetes:BlobArchiveGateway", name, {}, opts);
    if (args.clients.length === 0) throw new Error("BlobArchiveGateway needs at least one client role: nothing else may call it");
    const { names } = args;
    const labels = names.labels("archive-gateway");
    const selector = names.selector("archive-gateway");
    const metadata = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels });

    // Letters and digits only: both halves travel through environment variables and a properties file.
    const key = (suffix: string, length: number) => new random.RandomPassword(`${name}-${suffix}`, { length, special: false }, childOf(this, opts));
    const secret = new k8s.core.v1.Secret(
      `${name}-s3-key`,
      {
        metadata: metadata(names.archiveGatewayCredentials),
        type: "Opaque",
        stringData: { [ACCESS_KEY_ID]: key("access-key-id", 20).result, [SECRET_ACCESS_KEY]: key("secret-access-key", 40).result },
      },
      childOf(this, opts),
    );
    this.credentials = {
      accessKeyId: { name: secret.metadata.name, key: ACCESS_KEY_ID },
      secretAccessKey: { name: secret.metadata.name, key: SECRET_ACCESS_KEY },
    };

    this.serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-account`,
      { metadata: { ...metadata(names.archiveGateway), annotations: { [WORKLOAD_IDENTITY_CLIENT_ID]: args.identityClientId } } },
      childOf(this, opts),
    );

    const replicas = args.highAvailability ? 2 : 1;
    const listening = { tcpSocket: { port: "s3" } };
    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: metadata(names.archiveGateway),
        spec: {
          replicas,
          selector: { matchLabels: selector },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: { labels: { ...labels, [WORKLOAD_IDENTITY_USE]: "true" } },
            spec: {
              serviceAccountName: this.serviceAccount.metadata.name,
              ...hardenedPod(S3PROXY_USER),
              ...(args.highAvailability ? { topologySpreadConstraints: spreadAcrossZonesAndNodes(selector) } : {}),
              containers: [
                {
                  name: "s3proxy",
                  image: S3PROXY_IMAGE,
                  imagePullPolicy: "IfNotPresent",
                  env: [
                    { name: "S3PROXY_ENDPOINT", value: `http://0.0.0.0:${S3_PORT}` },
                    { name: "S3PROXY_AUTHORIZATION", value: "aws-v2-or-v4" },
                    { name: "S3PROXY_IDENTITY", valueFrom: { secretKeyRef: this.credentials.accessKeyId } },
                    { name: "S3PROXY_CREDENTIAL", valueFrom: { secretKeyRef: this.credentials.secretAccessKey } },
                    { name: "JCLOUDS_PROVIDER", value: "azureblob-sdk" },
                    { name: "JCLOUDS_ENDPOINT", value: pulumi.output(args.blobEndpoint).apply((url) => url.replace(/\/+$/, "")) },
                    // Both empty (the image sets placeholders) is what makes the provider use
                    // DefaultAzureCredential, which finds the token the workload identity webhook projects.
                    { name: "JCLOUDS_IDENTITY", value: "" },
                    { name: "JCLOUDS_CREDENTIAL", value: "" },
                    // The entrypoint makes this directory whatever the provider; /data is on the read-only root.
                    { name: "JCLOUDS_FILESYSTEM_BASEDIR", value: `${scratchTmp.mount.mountPath}/unused` },
                  ],
                  ports: [{ name: "s3", containerPort: S3_PORT, protocol: "TCP" }],
                  // Every S3 path but an unauthenticated health check wants a signature, which the kubelet
                  // cannot make, and the health path is not in every release: a listening port it is.
                  startupProbe: { ...listening, periodSeconds: 5, failureThreshold: 24 },
                  readinessProbe: { ...listening, periodSeconds: 10, failureThreshold: 3 },
                  livenessProbe: { ...listening, periodSeconds: 20, failureThreshold: 6 },
                  // The JVM takes 75% of the limit as heap; archive uploads stream through it.
                  resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "512Mi" } },
                  securityContext: restrictedContainerSecurity,
                  volumeMounts: [scratchTmp.mount],
                },
              ],
              volumes: [scratchTmp.volume],
            },
          },
        },
      },
      childOf(this, opts),
    );

    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      { metadata: metadata(names.archiveGateway), spec: { type: "ClusterIP", selector, ports: [{ name: "s3", port: S3_PORT, targetPort: "s3", protocol: "TCP" }] } },
      childOf(this, opts),
    );

    if (needsDisruptionBudget(replicas)) disruptionBudget(names.archiveGateway, args.namespace, labels, selector, childOf(this, opts));
    if (args.networkPolicies) archiveGatewayPolicies(name, { names, namespace: args.namespace, port: S3_PORT, clients: args.clients }, childOf(this, opts));

    this.endpoint = pulumi.interpolate`http://${serviceHost(this.service.metadata.name, args.namespace)}:${S3_PORT}`;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
