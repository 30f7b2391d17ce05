import type { StoreMock } from "../mock";

/** What Cosmos DB answers: the account's endpoint and its keys. */
export const cosmosCassandraMock: StoreMock = {
  resources: {
    "azure-native:cosmosdb:DatabaseAccount": (args) => {
      const accountName = (args.inputs as Record<string, any>).accountName ?? args.name;
      return { name: accountName, documentEndpoint: `https://${accountName}.documents.azure.com:443/` };
    },
  },
  calls: {
    "azure-native:cosmosdb:listDatabaseAccountKeys": (args, world) => {
      const accountName = (args.inputs as Record<string, any>).accountName;
      // Cosmos DB keys are 64 random bytes, base64.
      const key = (kind: string) => Buffer.from(world.hash(`mock-cosmos-key:${accountName}:${kind}`, 64) + world.hash(`${kind}:${accountName}`, 64), "hex").toString("base64");
      return { primaryMasterKey: key("primary"), secondaryMasterKey: key("secondary"), primaryReadonlyMasterKey: key("primary-readonly"), secondaryReadonlyMasterKey: key("secondary-readonly") };
    },
  },
};
