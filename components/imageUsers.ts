/**
 * The users images run as, shared by every platform: Kubernetes turns them into runAsUser and
 * runAsGroup, ECS into a container's `user`.
 */

/** A numeric user and group an image declares; numeric so the kubelet can prove it is not root. */
export interface ImageUser {
  uid: number;
  gid: number;
  /** False where the image's user relies on supplementary groups from the image, which an explicit group could drop. */
  setGroup?: false;
}

/** The users the images the kit runs declare in their Dockerfiles (checked against each). */
export const IMAGE_USERS = {
  /** temporalio/server and temporalio/admin-tools: `adduser -u 1000 -G temporal` (gid 1000). */
  temporal: { uid: 1000, gid: 1000 },
  /** temporalio/ui 2.52: `addgroup -g 1000 temporal && adduser -u 1000 -G temporal` (temporalio/ui-server v2.52.0, Dockerfile); 5000 was older images'. */
  ui: { uid: 1000, gid: 1000 },
  /** The official mysql image's `mysql` user, which its entrypoint otherwise switches to from root. */
  mysql: { uid: 999, gid: 999 },
  /**
   * The official postgres image's `postgres` user, likewise; its Debian variants only
   * (docker-library/postgres 17/trixie/Dockerfile: `groupadd -r postgres --gid=999` and
   * `useradd -r -g postgres --uid=999`; the Alpine variants use 70).
   */
  postgres: { uid: 999, gid: 999 },
  /** The official cassandra image's `cassandra` user, likewise. */
  cassandra: { uid: 999, gid: 999 },
  /**
   * Elastic's image: `elasticsearch` (uid and gid 1000), also a member of root's group, which owns
   * its writable paths; its groups stay the image's, fsGroup 1000 makes the data volume writable.
   */
  elasticsearch: { uid: 1000, gid: 1000, setGroup: false },
} as const satisfies Record<string, ImageUser>;


/** ECS's `user` field for an image user: "uid:gid". */
export const ecsUser = (user: ImageUser): string => `${user.uid}:${user.gid}`;

/** A worker's configured `user` ("uid" or "uid:gid"), as numbers. */
export function parseUser(user: string): { uid: number; gid?: number } {
  const [uid, gid] = user.split(":").map(Number);
  return gid === undefined ? { uid } : { uid, gid };
}
