import { flexibleServerMock } from "./azure-flexible-server/mock";
import { cosmosCassandraMock } from "./cosmos-cassandra/mock";
import { managedCassandraMock } from "./managed-cassandra/mock";
import type { StoreMock } from "./mock";
import { openSearchMock } from "./opensearch/mock";
import { rdsMock } from "./rds/mock";

/** Every store kind's mock answers in one table; the in-cluster and external kinds need none (nothing cloud-side to answer). */
export const STORE_MOCKS: StoreMock = [rdsMock, openSearchMock, flexibleServerMock, managedCassandraMock, cosmosCassandraMock].reduce(
  (all, mock) => ({ resources: { ...all.resources, ...mock.resources }, calls: { ...all.calls, ...mock.calls } }),
  { resources: {}, calls: {} },
);
