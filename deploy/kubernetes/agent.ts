import type { DaemonSet } from "kubernetes-types/apps/v1";
import type { EnvVar } from "kubernetes-types/core/v1";
import { httpProbe, metadata, podDefaults, resources, secretEnv, selectorLabels, webNodesUrl, webServiceUrl } from "./objects";
import { type ClusterSettings, SECRET_NAMES } from "./settings";
import { storeUrl } from "./stores";

export const AGENT_PORT = 4100;
/** Where the engine keeps each sandbox's data disk; the same path on the node and in the pod (engine's data-disk.ts). */
const DATA_DISKS_DIR = "/var/lib/drydock/disks";
const CREDENTIALS_DIR = "/etc/drydock/agent-credentials";

/**
 * Everything the agent takes from its node beyond an ordinary pod, and why.
 * Rendered as the pod's `drydock.dev/why-*` annotations (so `kubectl describe`
 * shows them) and as comments above the DaemonSet; a test fails on any host
 * access in any manifest without its reason here.
 */
export const AGENT_HOST_ACCESS = {
  "host-network":
    "The agent serves the registry and package-cache gateways on the sandbox bridge's gateway address (the sandboxes' only way to the registry and Debian's archive), installs the sandbox firewall (iptables chains DOCKER-USER and INPUT) in the node's network namespace, and proxies previews to sandbox addresses on that bridge: all three exist only in the node's network namespace. It opens no port to the network: its API listens on the node's loopback, and web nodes reach it through the tunnels it dials to each of them (AGENT_TUNNEL_URLS), every request carrying a token signed with DRYDOCK_AGENT_SECRET.",
  privileged:
    "Each sandbox's inner engine lives on a size-limited ext4 image that the agent loop-mounts under /var/lib/drydock/disks for the node's dockerd to bind into the sandbox: that needs mount(2) with loop devices and Bidirectional mount propagation, which Kubernetes grants to privileged containers only; the firewall needs NET_ADMIN in the node's network namespace. It adds nothing the Docker socket does not already give (whoever holds the socket is root on the node). With SANDBOX_DISK_MIB=0 (no disk limit per sandbox) the disks go, but the firewall stays; see the runbook.",
  "hostpath-docker-sock":
    "Sandboxes are containers of the node's Docker engine (Docker-in-Docker, packages/engine): the agent drives it through its API socket. Root-equivalent on the node; that is why sandbox nodes are tainted for Drydock alone.",
  "hostpath-data-disks":
    "The data disks' images and mount points: the agent makes and mounts them here, the node's dockerd binds them into sandboxes by this path, so it must be the same path on both sides (Bidirectional propagation), and they outlive an agent restart (sandboxes keep running).",
} as const;

export type HostAccess = keyof typeof AGENT_HOST_ACCESS;

export function justificationAnnotations(reasons: Partial<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(reasons).map(([what, why]) => [`drydock.dev/why-${what}`, why ?? ""]));
}

function agentEnvironment(settings: ClusterSettings): EnvVar[] {
  return [
    { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
    // The node's loopback: nothing outside the node connects to the agent (its tunnels carry the web nodes' connections).
    { name: "AGENT_HOST", value: "127.0.0.1" },
    { name: "AGENT_PORT", value: String(AGENT_PORT) },
    { name: "AGENT_LABELS", value: settings.agentLabels },
    { name: "CONTROL_PLANE_URL", value: webServiceUrl(settings) },
    { name: "AGENT_TUNNEL_URLS", value: webNodesUrl(settings) },
    secretEnv("DRYDOCK_AGENT_SECRET", "agent-secret"),
    { name: "SANDBOX_IMAGE", value: settings.images.sandbox },
    { name: "SANDBOX_NETWORK", value: "drydock" },
    // One registry for the whole deployment: every node's gateway forwards there, with the same per-learner rules.
    { name: "REGISTRY_UPSTREAM", value: storeUrl(settings, "registry") },
    { name: "PACKAGE_CACHE_UPSTREAM", value: storeUrl(settings, "apt-cache") },
  ];
}

/** One agent per sandbox host: the nodes labelled `drydock.dev/sandbox-host=true`. */
export function agentDaemonSet(settings: ClusterSettings): DaemonSet {
  const { key, value } = settings.sandboxHostLabel;
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: metadata(settings, "drydock-agent", "agent"),
    spec: {
      selector: { matchLabels: selectorLabels("agent") },
      // Killing an agent loses no running sandbox (it adopts them on start), so a rolling update is safe one node at a time.
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: selectorLabels("agent"), annotations: justificationAnnotations(AGENT_HOST_ACCESS) },
        spec: {
          ...podDefaults,
          nodeSelector: { [key]: value },
          // Sandbox nodes are tainted so nothing else lands beside the learners' engines (runbook).
          tolerations: [{ key, operator: "Exists", effect: "NoSchedule" }],
          hostNetwork: true,
          // hostNetwork would otherwise resolve with the node's resolv.conf and miss the cluster's Service names.
          dnsPolicy: "ClusterFirstWithHostNet",
          // On SIGTERM it finishes a pool refill under way and removes it: a stopping agent leaves nothing half-made.
          terminationGracePeriodSeconds: 120,
          initContainers: [
            {
              name: "prepare-node",
              image: settings.images.agent,
              command: ["drydock-prepare-node"],
              env: [
                { name: "SANDBOX_IMAGE", value: settings.images.sandbox },
                { name: "SANDBOX_NETWORK", value: "drydock" },
              ],
              volumeMounts: [{ name: "docker-sock", mountPath: "/var/run/docker.sock" }],
              resources: resources("100m", "64Mi", "256Mi"),
              // Root only to open the node's Docker socket (root:docker 0660); no capability, no escalation.
              securityContext: {
                runAsUser: 0,
                runAsNonRoot: false,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
            },
          ],
          containers: [
            {
              name: "agent",
              image: settings.images.agent,
              command: ["drydock-agent-start"],
              env: agentEnvironment(settings),
              resources: resources("250m", "512Mi", "2Gi"),
              // The kubelet runs on the node, so it reaches the agent's loopback (the pod shares the node's network).
              readinessProbe: httpProbe("/healthz", AGENT_PORT, 5, 3, "127.0.0.1"),
              livenessProbe: httpProbe("/healthz", AGENT_PORT, 10, 6, "127.0.0.1"),
              securityContext: { privileged: true, runAsUser: 0 },
              volumeMounts: [
                { name: "docker-sock", mountPath: "/var/run/docker.sock" },
                { name: "data-disks", mountPath: DATA_DISKS_DIR, mountPropagation: "Bidirectional" },
                { name: "agent-credentials", mountPath: CREDENTIALS_DIR, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: "docker-sock", hostPath: { path: "/var/run/docker.sock", type: "Socket" } },
            { name: "data-disks", hostPath: { path: DATA_DISKS_DIR, type: "DirectoryOrCreate" } },
            // One key per node, named after it: drydock-agent-start reads $NODE_NAME's (a DaemonSet has one pod template for all nodes).
            { name: "agent-credentials", secret: { secretName: SECRET_NAMES.agentCredentials, defaultMode: 0o400 } },
          ],
        },
      },
    },
  };
}
