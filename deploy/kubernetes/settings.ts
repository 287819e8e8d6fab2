/**
 * What differs from one Drydock cluster to the next. The committed YAML in
 * rendered/ is made from `defaultSettings`; an operator copies this file's
 * values into their own (or edits them here in their fork) and runs
 * `npm run k8s:render`, or patches the rendered YAML with kustomize.
 */
export interface ClusterSettings {
  namespace: string;
  /** The address learners open: the main Ingress host. */
  host: string;
  /**
   * Previews are served on `<port>-<session>.<previewDomain>` (the web's
   * PREVIEW_DOMAIN): a domain apart from `host`, with a wildcard DNS record and
   * a wildcard certificate, so a learner's app never shares Drydock's origin.
   */
  previewDomain: string;
  /** Secret holding the TLS certificate for `host` and `*.previewDomain` (cert-manager or made by hand). */
  tlsSecretName: string;
  ingressClassName: string;
  /**
   * Every image by an immutable tag: web and agent from deploy/kubernetes/image/Dockerfile,
   * sandbox, registry and apt-cache from `npm run provision` (see the runbook).
   */
  images: { web: string; agent: string; sandbox: string; registry: string; aptCache: string };
  webReplicas: number;
  /** The node label that makes a node a sandbox host (the agent DaemonSet runs there only). */
  sandboxHostLabel: { key: string; value: string };
  /** Labels every agent reports (AGENT_LABELS, `zone=a,size=m`); per-zone DaemonSets can each set their own. */
  agentLabels: string;
  /** Live sandboxes the whole deployment may hold (the web's MAX_LIVE_SANDBOXES). */
  maxLiveSandboxes: number;
  /** The namespace of the ingress controller (ingress-nginx): the only pods that may open the web's port besides the agents. */
  ingressNamespace: string;
  /**
   * Where the agents' traffic comes from. The agents run on the nodes' own network (hostNetwork, see
   * agent.ts), so no pod selector matches them: the web, registry and package cache accept them by
   * address. The sandbox nodes' addresses, plus, where the CNI tunnels host traffic (Calico IPIP or
   * VXLAN), the nodes' tunnel addresses.
   */
  agentSourceCidrs: string[];
  storage: { registryGi: number; aptCacheGi: number; storageClassName?: string };
}

/** The names of the Secrets the runbook has the operator create (never rendered: no secret is committed). */
export const SECRET_NAMES = {
  /** Keys: agent-secret, database-url (postgresql://…), redis-url (redis://…, with the password). */
  web: "drydock-secrets",
  /** One key per sandbox node, its name: that node's agent credential (`npm run admin -- issue-agent`). */
  agentCredentials: "drydock-agent-credentials",
} as const;

/** Release of the images this YAML was written for; bump together with the tags below. */
const RELEASE = "0.12.0";

export const defaultSettings: ClusterSettings = {
  namespace: "drydock",
  host: "drydock.example.org",
  previewDomain: "drydock-preview.example.net",
  tlsSecretName: "drydock-tls",
  ingressClassName: "nginx",
  images: {
    web: `registry.example.org/drydock/web:${RELEASE}`,
    agent: `registry.example.org/drydock/agent:${RELEASE}`,
    sandbox: `registry.example.org/drydock/sandbox:${RELEASE}`,
    registry: `registry.example.org/drydock/registry:${RELEASE}`,
    aptCache: `registry.example.org/drydock/apt-cache:${RELEASE}`,
  },
  webReplicas: 3,
  sandboxHostLabel: { key: "drydock.dev/sandbox-host", value: "true" },
  agentLabels: "zone=default",
  maxLiveSandboxes: 200,
  ingressNamespace: "ingress-nginx",
  agentSourceCidrs: ["10.0.0.0/8"],
  storage: { registryGi: 50, aptCacheGi: 20 },
};
