import { z } from "zod";

/**
 * What differs from one Drydock cluster to the next. The committed YAML in
 * rendered/ is made from the defaults; an operator writes what differs for
 * their cluster in a JSON file (any subset of these fields) and runs
 * `npm run k8s:render -- --settings my-cluster.json --out DIR`.
 */
const dnsName = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{1,200}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, "must be a DNS name like drydock.example.org");
const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a DNS label: lowercase letters, digits and dashes");
/** An image by a tag that names one build (not `latest`), or by digest: a rollout is then a change one can see. */
const pinnedImage = z
  .string()
  .refine(
    (image) => /@sha256:[0-9a-f]{64}$/.test(image) || /^[^@\s]+\/[^/@\s]+:(?!latest$)[\w][\w.-]{0,127}$/.test(image),
    "must name a registry path and a tag other than latest (registry.example.org/drydock/web:0.12.0), or a digest",
  );

/** Release of the images the committed YAML was written for; bump together with the tags. */
const RELEASE = "0.12.0";
const image = (name: string) => pinnedImage.default(`registry.example.org/drydock/${name}:${RELEASE}`);

export const clusterSettingsSchema = z.strictObject({
  namespace: dnsLabel.default("drydock"),
  /** The address learners open: the main Ingress host. */
  host: dnsName.default("drydock.example.org"),
  /**
   * Previews are served on `<port>-<session>.<previewDomain>` (the web's
   * PREVIEW_DOMAIN): a domain apart from `host`, with a wildcard DNS record and
   * a wildcard certificate, so a learner's app never shares Drydock's origin.
   */
  previewDomain: dnsName.default("drydock-preview.example.net"),
  /** Secret holding the TLS certificate for `host` and `*.previewDomain` (cert-manager or made by hand). */
  tlsSecretName: dnsName.or(dnsLabel).default("drydock-tls"),
  ingressClassName: dnsLabel.default("nginx"),
  /**
   * The pod network the ingress controller's pods live in (the web's TRUSTED_PROXIES): the client
   * address they put in X-Forwarded-For is the one the per-address budgets count.
   */
  podNetworkCidr: z.string().default("10.0.0.0/8"),
  /** The namespace of the ingress controller (ingress-nginx): the only pods that may open the web's port besides the agents. */
  ingressNamespace: dnsLabel.default("ingress-nginx"),
  /** Web and agent from deploy/kubernetes/image/Dockerfile; sandbox, registry and apt-cache from `npm run provision` (runbook). */
  images: z
    .strictObject({
      web: image("web"),
      agent: image("agent"),
      sandbox: image("sandbox"),
      registry: image("registry"),
      aptCache: image("apt-cache"),
    })
    .prefault({}),
  webReplicas: z.number().int().min(1).default(3),
  /** The node label that makes a node a sandbox host (the agent DaemonSet runs there only). */
  sandboxHostLabel: z
    .strictObject({ key: z.string().min(1).default("drydock.dev/sandbox-host"), value: z.string().default("true") })
    .prefault({}),
  /** Labels every agent reports (AGENT_LABELS, `zone=a,size=m`); per-zone DaemonSets can each set their own. */
  agentLabels: z
    .string()
    .regex(/^([\w.-]+=[\w.-]+)(,[\w.-]+=[\w.-]+)*$/, "must be key=value pairs separated by commas, like zone=a,size=m")
    .default("zone=default"),
  /** Live sandboxes the whole deployment may hold (the web's MAX_LIVE_SANDBOXES). */
  maxLiveSandboxes: z.number().int().min(1).default(200),
  /**
   * Where the agents' traffic comes from. The agents run on the nodes' own network (hostNetwork, see
   * agent.ts), so no pod selector matches them: the web, registry and package cache accept them by
   * address. The sandbox nodes' addresses, plus, where the CNI tunnels host traffic (Calico IPIP or
   * VXLAN), the nodes' tunnel addresses.
   */
  agentSourceCidrs: z.array(z.cidrv4()).min(1).default(["10.0.0.0/8"]),
  storage: z
    .strictObject({
      registryGi: z.number().int().min(1).default(50),
      aptCacheGi: z.number().int().min(1).default(20),
      storageClassName: dnsName.or(dnsLabel).optional(),
    })
    .prefault({}),
});

export type ClusterSettings = z.infer<typeof clusterSettingsSchema>;

/** A cluster's settings from what its operator wrote (any subset; the rest are the defaults); a bad field is named with the fix. */
export function parseClusterSettings(input: unknown): ClusterSettings {
  const parsed = clusterSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".") || "(the file)"}: ${issue.message}`).join("\n");
    throw new Error(`The cluster settings are invalid:\n${problems}`);
  }
  return parsed.data;
}

export const defaultSettings: ClusterSettings = parseClusterSettings({});

/** The names of the Secrets the runbook has the operator create (never rendered: no secret is committed). */
export const SECRET_NAMES = {
  /** Keys: agent-secret, database-url (postgresql://…), redis-url (redis://…, with the password). */
  web: "drydock-secrets",
  /** One key per sandbox node, its name: that node's agent credential (`npm run admin -- issue-agent`). */
  agentCredentials: "drydock-agent-credentials",
} as const;
