import type Docker from "dockerode";

/**
 * How a sandbox is isolated from its host (SECURITY.md explains both):
 *
 * - "rootless": an unprivileged container (Docker's default capabilities, no
 *   host mounts) whose dockerd runs through rootlesskit as a uid of the
 *   sandbox's own range. The learner is root inside that user namespace and
 *   an unprivileged uid on the host; the container's memory, CPU and pids
 *   limits bind everything the learner starts, inner containers included.
 * - "privileged": the near-privileged recipe (all capabilities but one, the
 *   host's cgroup tree mounted). Host-root-equivalent: an explicit opt-in.
 */
export type SandboxIsolation = "rootless" | "privileged";
export const SANDBOX_ISOLATIONS = ["rootless", "privileged"] as const satisfies readonly SandboxIsolation[];
export const DEFAULT_ISOLATION: SandboxIsolation = "rootless";

/** The user the image's entrypoint creates for the sandbox's uid (images/sandbox/entrypoint.sh). */
export const LEARNER_USER = "drydock";

/** The container settings of an isolation mode; `uidBase` is the first id of the sandbox's range (rootless only). */
export function isolationContainerSettings(
  isolation: SandboxIsolation,
  uidBase: number | undefined,
): { Env: string[]; HostConfig: Docker.HostConfig } {
  if (isolation === "privileged") {
    return {
      Env: ["DRYDOCK_ISOLATION=privileged"],
      HostConfig: {
        CapAdd: ["ALL"],
        CapDrop: ["SYS_RESOURCE"],
        SecurityOpt: ["seccomp=unconfined", "apparmor=unconfined"],
        // The API form of `--security-opt systempaths=unconfined`.
        MaskedPaths: [],
        ReadonlyPaths: [],
        Binds: ["/sys/fs/cgroup:/sys/fs/cgroup:rw"],
      },
    };
  }
  if (uidBase === undefined) throw new Error("a rootless sandbox needs its uid range");
  return {
    Env: ["DRYDOCK_ISOLATION=rootless", `DRYDOCK_UID=${uidBase}`],
    HostConfig: {
      // No added capabilities. rootlesskit creates user, mount and network
      // namespaces: the default seccomp and AppArmor profiles forbid that, and
      // the inner engine mounts /proc for its containers, which the kernel
      // refuses while parts of the outer /proc are masked. The learner never
      // holds host root to exploit the unmasked /proc (see SECURITY.md).
      SecurityOpt: ["seccomp=unconfined", "apparmor=unconfined"],
      MaskedPaths: [],
      ReadonlyPaths: [],
      Devices: [
        // slirp4netns's tap device and fuse-overlayfs (the storage fallback).
        { PathOnHost: "/dev/net/tun", PathInContainer: "/dev/net/tun", CgroupPermissions: "rwm" },
        { PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" },
      ],
      // rootlesskit listens for the ports the learner publishes (`-p 80:80` too).
      Sysctls: { "net.ipv4.ip_unprivileged_port_start": "0" },
    },
  };
}

/** How the engine runs a command as the learner: as which container user, through which wrapper. */
export interface LearnerExec {
  user?: string;
  command(command: string[]): string[];
}

export function learnerExec(isolation: SandboxIsolation): LearnerExec {
  if (isolation === "privileged") return { command: (command) => command };
  // drydock-enter joins the user and mount namespaces of the sandbox's dockerd,
  // where the learner is root (images/sandbox/enter.sh).
  return { user: LEARNER_USER, command: (command) => ["drydock-enter", ...command] };
}
