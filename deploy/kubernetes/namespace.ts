import type { Namespace } from "kubernetes-types/core/v1";
import type { ClusterSettings } from "./settings";

/**
 * Pod Security admission enforces `privileged`, since the agent is privileged
 * by necessity (agent.ts says why); every other pod here meets `restricted`,
 * so the audit log flags any pod that does not, the agent excepted.
 */
export function namespace(settings: ClusterSettings): Namespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: settings.namespace,
      labels: {
        "app.kubernetes.io/part-of": "drydock",
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/audit": "restricted",
      },
    },
  };
}
