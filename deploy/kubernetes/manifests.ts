import type { ObjectMeta } from "kubernetes-types/meta/v1";
import { AGENT_HOST_ACCESS, agentDaemonSet } from "./agent";
import { webIngress } from "./ingress";
import { migrateJob } from "./migrate-job";
import { namespace } from "./namespace";
import { networkPolicies } from "./network-policies";
import type { ClusterSettings } from "./settings";
import { storeClaim, storeDeployment, storeService } from "./stores";
import { webConfigMap, webDeployment, webDisruptionBudget, webNodesService, webService } from "./web";

/** A Kubernetes object as written out: typed where it is made (the modules above); every one of them sets both fields. */
export type KubernetesObject = { apiVersion?: string; kind?: string; metadata?: ObjectMeta };

export interface ManifestFile {
  /** File name under rendered/. */
  name: string;
  /** Comment lines above the file's objects. */
  comment: string;
  objects: KubernetesObject[];
  /** Applied with the rest (`kubectl apply -k rendered/`); false for the migration Job, run on its own before a rollout. */
  applied: boolean;
}

function wrap(text: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + word.length + 1 > 100) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join("\n");
}

const agentComment = [
  "The sandbox agent, one per node labelled as a sandbox host. What it takes from its node, and why",
  "(the same text is on the pod as drydock.dev/why-* annotations):",
  ...Object.entries(AGENT_HOST_ACCESS).map(([what, why]) => `\n${what}:\n${wrap(why)}`),
  "\nNot taken: hostPID (without it the engine cannot move a booting sandbox into the idle CPU class and",
  "boots run at their low CPU weight alone), hostIPC, other host paths.",
].join("\n");

/** Every file of deploy/kubernetes/rendered/, in order. */
export function manifestFiles(settings: ClusterSettings): ManifestFile[] {
  return [
    { name: "00-namespace.yaml", comment: "Drydock's namespace.", objects: [namespace(settings)], applied: true },
    {
      name: "10-web.yaml",
      comment:
        "The web nodes (control plane and gateway). Secrets (drydock-secrets) are made by the operator, never rendered: see README.md.",
      objects: [
        webConfigMap(settings),
        webDeployment(settings),
        webService(settings),
        webNodesService(settings),
        webDisruptionBudget(settings),
      ],
      applied: true,
    },
    { name: "20-agent.yaml", comment: agentComment, objects: [agentDaemonSet(settings)], applied: true },
    {
      name: "30-registry.yaml",
      comment: "The one registry of the deployment; every agent's registry gateway forwards to it with the per-learner rules.",
      objects: [storeClaim(settings, "registry"), storeDeployment(settings, "registry"), storeService(settings, "registry")],
      applied: true,
    },
    {
      name: "31-apt-cache.yaml",
      comment: "The package cache (apt-cacher-ng); every agent's package-cache gateway forwards to it, for Debian's archive only.",
      objects: [storeClaim(settings, "apt-cache"), storeDeployment(settings, "apt-cache"), storeService(settings, "apt-cache")],
      applied: true,
    },
    {
      name: "40-ingress.yaml",
      comment: "The main host and the wildcard preview host, both to the web (ingress-nginx).",
      objects: [webIngress(settings)],
      applied: true,
    },
    { name: "50-network-policies.yaml", comment: "Who may open Drydock's own pods.", objects: networkPolicies(settings), applied: true },
    {
      name: "migrate-job.yaml",
      comment: "Run before each rollout of a new web image (README.md, Upgrade); not part of kustomization.yaml.",
      objects: [migrateJob(settings)],
      applied: false,
    },
  ];
}
