import type { NetworkPolicy, NetworkPolicyPeer } from "kubernetes-types/networking/v1";
import { type Component, metadata, selectorLabels, WEB_PORT } from "./objects";
import type { ClusterSettings } from "./settings";
import { STORE_COMPONENTS, storePort } from "./stores";

/**
 * Who may open each of Drydock's own pods. Egress stays open (the web reaches
 * agents on node addresses, PostgreSQL and Redis; the package cache reaches
 * Debian's archive). PostgreSQL and Redis get theirs from their charts' values
 * (runbook). The agents run on the node's network, so they are matched by address.
 */
function ingressOnly(settings: ClusterSettings, component: Component, port: number, from: NetworkPolicyPeer[]): NetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadata(settings, `drydock-${component}`, component),
    spec: {
      podSelector: { matchLabels: selectorLabels(component) },
      policyTypes: ["Ingress"],
      ingress: [{ from, ports: [{ protocol: "TCP", port }] }],
    },
  };
}

function agents(settings: ClusterSettings): NetworkPolicyPeer[] {
  return settings.agentSourceCidrs.map((cidr) => ({ ipBlock: { cidr } }));
}

export function networkPolicies(settings: ClusterSettings): NetworkPolicy[] {
  const ingressController: NetworkPolicyPeer = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": settings.ingressNamespace } },
  };
  return [
    // Browsers through the ingress controller; agents heartbeat to the control plane.
    ingressOnly(settings, "web", WEB_PORT, [ingressController, ...agents(settings)]),
    // Only the agents' gateways, which apply the per-learner rules: nothing else may reach the registry or the cache directly.
    ...STORE_COMPONENTS.map((component) => ingressOnly(settings, component, storePort(component), agents(settings))),
  ];
}
