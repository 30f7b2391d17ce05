import type * as pulumi from "@pulumi/pulumi";

/** A key of a Kubernetes Secret: how every password reaches a container, never as a literal. */
export interface SecretKeyRef {
  name: pulumi.Input<string>;
  key: string;
}
