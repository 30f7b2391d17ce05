import type * as pulumi from "@pulumi/pulumi";

/** A key of a Kubernetes Secret: how every password reaches a container, never as a literal. */
export interface SecretKeyRef {
  name: pulumi.Input<string>;
  key: string;
}

/** An S3 key pair a client signs its requests with, each half a key of a Secret. */
export interface S3Credentials {
  accessKeyId: SecretKeyRef;
  secretAccessKey: SecretKeyRef;
}
