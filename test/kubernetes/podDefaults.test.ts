import { describe, expect, it } from "vitest";
import { IMAGE_USERS, hardenedPod, restrictedContainerSecurity, scratchDir, writableRootContainerSecurity } from "../../components/kubernetes/podDefaults";

describe("pod defaults", () => {
  it("runs a pod as the image's user and group, never root, with the default seccomp profile and no API token", () => {
    expect(hardenedPod(IMAGE_USERS.ui)).toEqual({
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        fsGroup: 1000,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
      },
    });
  });

  it("still refuses root when the image's user is unknown, leaving the choice of user to the image", () => {
    expect(hardenedPod().securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
  });

  it("gives containers a read-only root without privilege escalation or capabilities", () => {
    expect(restrictedContainerSecurity).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true });
  });

  it("relaxes only the read-only root for images that rewrite their own files", () => {
    expect(writableRootContainerSecurity).toEqual({ ...restrictedContainerSecurity, readOnlyRootFilesystem: false });
  });

  it("leaves the image's groups alone where its user needs them, still owning volumes through fsGroup", () => {
    const context = hardenedPod(IMAGE_USERS.elasticsearch).securityContext as Record<string, unknown>;
    expect(context.runAsGroup).toBeUndefined();
    expect(context).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
  });

  it("pairs a writable emptyDir with its mount", () => {
    expect(scratchDir("run", "/var/run/mysqld")).toEqual({ volume: { name: "run", emptyDir: {} }, mount: { name: "run", mountPath: "/var/run/mysqld" } });
  });

  it("knows the non-root users the kit's images declare", () => {
    expect(Object.values(IMAGE_USERS).every((user) => user.uid > 0)).toBe(true);
    expect(IMAGE_USERS.temporal).toEqual({ uid: 1000, gid: 1000 });
  });
});
