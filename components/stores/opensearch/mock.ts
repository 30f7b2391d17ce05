import type { StoreMock } from "../mock";

/** What OpenSearch Service answers for a VPC domain. */
export const openSearchMock: StoreMock = {
  resources: {
    "aws:opensearch/domain:Domain": (args, world) => {
      // OpenSearch ARNs keep the service's old `es` name; a VPC domain's endpoint is a bare host, no scheme.
      const domainName = (args.inputs as Record<string, any>).domainName ?? args.name;
      return {
        arn: `arn:${world.aws.partition}:es:${world.aws.region}:${world.aws.accountId}:domain/${domainName}`,
        domainName,
        domainId: `${world.aws.accountId}/${domainName}`,
        endpoint: `vpc-${domainName}-${world.hash(args.name, 26)}.${world.aws.region}.es.amazonaws.com`,
      };
    },
  },
  calls: {},
};
