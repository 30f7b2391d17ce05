import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import { AksWorkloadIdentity, TOKEN_EXCHANGE_AUDIENCE, WorkloadIdentityArgs } from "../../components/azure/workloadIdentity";
import type { ResourceRecord } from "../../tools/synth/recorder";
import { caseQueries } from "../helpers/caseQueries";
import { promiseOf, settle, startMockRuntime } from "../helpers/mockRuntime";

const AZ = {
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  federation: "azure-native:managedidentity:FederatedIdentityCredential",
} as const;
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/00000000-0000-4000-8000-000000000002/11111111-1111-4111-8111-111111111111/";

const base: WorkloadIdentityArgs = {
  resourceGroupName: "temporal-prd",
  location: "westeurope",
  oidcIssuerUrl: ISSUER,
  namespace: "temporal",
  serviceAccountName: "temporal-archive-gateway",
  tags: { "temporal-kit-environment": "production" },
};
const cases = { prd: base, stg: { ...base, namespace: "temporal-staging", serviceAccountName: "stg-archive-gateway" } } satisfies Record<string, WorkloadIdentityArgs>;
type Case = keyof typeof cases;

let records: ResourceRecord[];
const identities = {} as Record<Case, AksWorkloadIdentity>;

beforeAll(async () => {
  records = (await startMockRuntime()).resources;
  // Stands in for what the identity must wait for; only production's is given it.
  const gate = new random.RandomPassword("gate", { length: 8 });
  for (const name of Object.keys(cases) as Case[]) identities[name] = new AksWorkloadIdentity(name, cases[name], name === "prd" ? { dependsOn: [gate] } : undefined);
  await settle();
});

const { of, only, componentOf } = caseQueries<Case>(() => records, "temporal-kit:azure:AksWorkloadIdentity");
const federation = (name: Case) => only(name, AZ.federation).inputs as Record<string, any>;

describe("AksWorkloadIdentity", () => {
  it("is one user-assigned identity in the given group and region, with its tags", () => {
    expect(only("prd", AZ.identity).inputs).toMatchObject({ resourceGroupName: "temporal-prd", location: "westeurope", tags: base.tags });
  });

  it("trusts tokens of the AKS cluster's OIDC issuer for the token-exchange audience only", () => {
    expect(federation("prd").issuer).toBe(ISSUER);
    expect(federation("prd").audiences).toEqual([TOKEN_EXCHANGE_AUDIENCE]);
    expect(TOKEN_EXCHANGE_AUDIENCE).toBe("api://AzureADTokenExchange");
  });

  it("trusts exactly one service account of one namespace", () => {
    expect(federation("prd").subject).toBe("system:serviceaccount:temporal:temporal-archive-gateway");
    expect(federation("stg").subject).toBe("system:serviceaccount:temporal-staging:stg-archive-gateway");
  });

  it("federates the identity it created, in the same group", () => {
    expect(federation("prd")).toMatchObject({ resourceGroupName: "temporal-prd", resourceName: "prd-identity" });
    expect(only("prd", AZ.federation).dependsOn).toContain(only("prd", AZ.identity).urn);
  });

  it("exposes the client id for the service account annotation and the principal id for role assignments", async () => {
    const clientId = await promiseOf(identities.prd.clientId);
    const principalId = await promiseOf(identities.prd.principalId);
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(clientId).not.toBe(principalId);
  });

  it("parents both resources to the component", () => {
    expect(only("prd", AZ.identity).parent).toBe(componentOf("prd").urn);
    expect(only("prd", AZ.federation).parent).toBe(componentOf("prd").urn);
  });

  it("passes the component's dependencies down to its resources", () => {
    for (const record of of("prd", AZ.identity).concat(of("prd", AZ.federation))) expect(record.dependsOn.some((urn) => urn.endsWith("::gate"))).toBe(true);
    for (const record of of("stg", AZ.identity)) expect(record.dependsOn.some((urn) => urn.endsWith("::gate"))).toBe(false);
  });
});
