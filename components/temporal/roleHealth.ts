import { ROLES, type RoleName } from "./roles";
import type { ServerVersion } from "./versionSkew";

/** How a platform tells that a role's process runs and serves, for the release its image names. */
export interface RoleHealth {
  /** The port that is open once the role runs. */
  port: number;
  portName: "grpc" | "membership";
  /** The name the role answers gRPC health checks for on its gRPC port; absent when it serves none. */
  grpcHealthService?: string;
}

/**
 * The first release whose system worker serves gRPC: go.temporal.io/server v1.31.2
 * service/worker/fx.go provides a grpc.Server and service/worker/service.go registers the health
 * name `temporal.api.workflowservice.v1.WorkerService` on it; at v1.30.9 service/worker starts no
 * gRPC server, so its gRPC port never opens and the worker listens on its membership port alone.
 */
const WORKER_SERVES_GRPC_SINCE = { major: 1, minor: 31 };

const before = (version: ServerVersion, since: { major: number; minor: number }) =>
  version.major < since.major || (version.major === since.major && version.minor < since.minor);

/**
 * The port and health name to check a role on. `version` is undefined for an image whose tag names
 * no release (a custom build under allowVersionSkew): it is taken to behave like the pinned one.
 */
export function roleHealth(role: RoleName, version: ServerVersion | undefined): RoleHealth {
  const spec = ROLES[role];
  if (role === "worker" && version && before(version, WORKER_SERVES_GRPC_SINCE)) {
    return { port: spec.membershipPort, portName: "membership" };
  }
  return { port: spec.grpcPort, portName: "grpc", grpcHealthService: spec.grpcHealthService };
}
