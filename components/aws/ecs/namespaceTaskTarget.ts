import { ROLES, RoleName } from "../../temporal/roles";

/** The Cloud Map names the kit's own tasks find the frontends by, inside the discovery domain. */
export const DISCOVERY_NAMES = { frontend: "frontend", internalFrontend: "internal-frontend" } as const;

export interface NamespaceTaskTargetArgs {
  authorization: boolean;
  roles: RoleName[];
  discoveryDomain: string;
  /** The name on the frontend's certificate that the kit's clients verify. */
  frontendServerName: string;
  /** The one name every internode certificate carries (components/temporal/tls.ts, internodeServerNameOf). */
  internodeServerName: string;
}

export interface NamespaceTaskTarget {
  address: string;
  /** Which of the kit's certificates the task presents, and the name it verifies on the server's. */
  certificate: "client" | "internode";
  serverName: string;
}

/**
 * Which frontend the namespace one-off task registers namespaces through. With JWT authorization
 * the task holds no token, so, as the system worker does, it calls the internal frontend: Temporal
 * serves it without the authorizer, and it admits only the internode certificate
 * (global.tls.internode.server), so that is the certificate the task presents. The config refuses
 * authorization without an internal frontend or without TLS, so this never falls back silently.
 */
export function namespaceTaskTarget(args: NamespaceTaskTargetArgs): NamespaceTaskTarget {
  if (args.authorization) {
    if (!args.roles.includes("internal-frontend")) throw new Error("namespaceTaskTarget: authorization needs the internal-frontend role (checked by the stack config)");
    return {
      address: `${DISCOVERY_NAMES.internalFrontend}.${args.discoveryDomain}:${ROLES["internal-frontend"].grpcPort}`,
      certificate: "internode",
      serverName: args.internodeServerName,
    };
  }
  return { address: `${DISCOVERY_NAMES.frontend}.${args.discoveryDomain}:${ROLES.frontend.grpcPort}`, certificate: "client", serverName: args.frontendServerName };
}
