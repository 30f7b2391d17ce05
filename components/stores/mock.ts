import type * as pulumi from "@pulumi/pulumi";

/** What the synth's mocks share with a store kind's own: the made-up AWS account and stable hashes. */
export interface MockWorld {
  aws: { accountId: string; region: string; partition: string };
  /** A stable hex digest of the text, cut to length: ids and keys that do not change between runs. */
  hash(text: string, length: number): string;
  /** An ARN in the mock account for the resource. */
  awsArn(args: pulumi.runtime.MockResourceArgs): string;
}

/**
 * How a store kind's cloud resources and calls answer offline (tools/synth/mocks.ts asks these
 * first): the state the provider would fill in, keyed by resource type or call token.
 */
export interface StoreMock {
  resources: Record<string, (args: pulumi.runtime.MockResourceArgs, world: MockWorld) => Record<string, unknown>>;
  calls: Record<string, (args: pulumi.runtime.MockCallArgs, world: MockWorld) => Record<string, unknown>>;
}
