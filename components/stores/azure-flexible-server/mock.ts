import type * as pulumi from "@pulumi/pulumi";
import type { StoreMock } from "../mock";

/** A Flexible Server's name and the private DNS name its clients dial, once it is ready. */
const server = (zone: string) => (args: pulumi.runtime.MockResourceArgs) => {
  const serverName = (args.inputs as Record<string, any>).serverName ?? args.name;
  return { name: serverName, fullyQualifiedDomainName: `${serverName}.${zone}.database.azure.com`, state: "Ready" };
};

export const flexibleServerMock: StoreMock = {
  resources: {
    "azure-native:dbformysql:Server": server("mysql"),
    "azure-native:dbforpostgresql:Server": server("postgres"),
  },
  calls: {},
};
