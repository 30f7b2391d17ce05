import type { StoreMock } from "../mock";

/** What RDS answers: an address in the mock region, the engine's port, an ARN and a resource id. */
export const rdsMock: StoreMock = {
  resources: {
    "aws:rds/instance:Instance": (args, world) => {
      const inputs = args.inputs as Record<string, any>;
      const port = inputs.port ?? (String(inputs.engine).startsWith("postgres") ? 5432 : 3306);
      const address = `${inputs.identifier ?? args.name}.c${world.hash(args.name, 12)}.${world.aws.region}.rds.amazonaws.com`;
      return { arn: world.awsArn(args), address, port, endpoint: `${address}:${port}`, resourceId: `db-${world.hash(args.name, 26).toUpperCase()}` };
    },
  },
  calls: {},
};
