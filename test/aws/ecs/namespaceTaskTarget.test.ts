import { describe, expect, it } from "vitest";
import { namespaceTaskTarget } from "../../../components/aws/ecs/namespaceTaskTarget";
import type { RoleName } from "../../../components/temporal/roles";

const WITH_INTERNAL: RoleName[] = ["frontend", "internal-frontend", "history", "matching", "worker"];
const base = { discoveryDomain: "temporal.internal", frontendServerName: "frontend.temporal.internal", internodeServerName: "temporal-internode" };

describe("namespaceTaskTarget", () => {
  it("registers through the public frontend with the client certificate when authorization is off", () => {
    expect(namespaceTaskTarget({ ...base, authorization: false, roles: WITH_INTERNAL })).toEqual({
      address: "frontend.temporal.internal:7233",
      certificate: "client",
      serverName: "frontend.temporal.internal",
    });
  });

  it("registers through the internal frontend's Cloud Map name with the internode certificate when authorization is on", () => {
    expect(namespaceTaskTarget({ ...base, authorization: true, roles: WITH_INTERNAL })).toEqual({
      address: "internal-frontend.temporal.internal:7236",
      certificate: "internode",
      serverName: "temporal-internode",
    });
  });

  it("refuses authorization without an internal frontend rather than calling the public frontend without a token", () => {
    expect(() => namespaceTaskTarget({ ...base, authorization: true, roles: ["frontend", "history", "matching", "worker"] })).toThrow(
      "namespaceTaskTarget: authorization needs the internal-frontend role (checked by the stack config)",
    );
  });
});
