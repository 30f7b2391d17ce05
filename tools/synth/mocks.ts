import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

/**
 * What the engine and providers would answer, made up deterministically so that every output
 * resolves offline: ids from names, generated passwords from a hash of the resource name.
 */
export const kitMocks: pulumi.runtime.Mocks = {
  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    return { id: `${args.name}-id`, state: { ...args.inputs, ...extraState(args) } };
  },
  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return args.inputs;
  },
};

function extraState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  switch (args.type) {
    case "random:index/randomPassword:RandomPassword": {
      const length = Number(args.inputs.length ?? 32);
      return { result: createHash("sha256").update(`mock-password:${args.name}`).digest("hex").slice(0, length) };
    }
    default:
      return {};
  }
}
