import type { Container, EnvVar, PodSpec, Probe, ResourceRequirements, SecurityContext } from "kubernetes-types/core/v1";
import type { ObjectMeta } from "kubernetes-types/meta/v1";
import { type ClusterSettings, SECRET_NAMES } from "./settings";

export type Component = "web" | "agent" | "registry" | "apt-cache" | "migrate";

/** The labels a component's pods carry and its selectors match (never changed after the first apply: selectors are immutable). */
export function selectorLabels(component: Component): Record<string, string> {
  return { "app.kubernetes.io/name": "drydock", "app.kubernetes.io/component": component };
}

/** Every object's metadata: its name, the namespace, and labels saying what it is part of. */
export function metadata(settings: ClusterSettings, name: string, component?: Component): ObjectMeta {
  return {
    name,
    namespace: settings.namespace,
    labels: {
      ...(component ? selectorLabels(component) : { "app.kubernetes.io/name": "drydock" }),
      "app.kubernetes.io/part-of": "drydock",
    },
  };
}

/**
 * Requests for scheduling and a memory limit; no CPU limit, since the CFS quota
 * throttles a busy process in 100 ms steps and a keystroke's echo would wait out the rest.
 */
export function resources(cpu: string, memory: string, memoryLimit: string): ResourceRequirements {
  return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}

/** `host`: where the kubelet sends it (default the pod's address); a host-network pod listening on loopback only is probed there. */
export function httpProbe(path: string, port: string | number, periodSeconds: number, failureThreshold: number, host?: string): Probe {
  return { httpGet: { path, port, ...(host ? { host } : {}) }, periodSeconds, failureThreshold, timeoutSeconds: 3 };
}

/**
 * Every Drydock pod: no Kubernetes API token (none of them calls the API; the
 * privileged agent least of all should hold one), and no service links: the
 * Service drydock-apt-cache would put DRYDOCK_APT_CACHE_PORT=tcp://… into every
 * pod's environment, a name Drydock reads as a port number.
 */
export const podDefaults: Pick<PodSpec, "automountServiceAccountToken" | "enableServiceLinks"> = {
  automountServiceAccountToken: false,
  enableServiceLinks: false,
};

/** A container that needs nothing of the node: no root, no added capabilities, no escalation. */
export const unprivileged: SecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** An environment variable read from the deployment's Secret (never a literal in the YAML). */
export function secretEnv(name: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: SECRET_NAMES.web, key } } };
}

/** What the web and the migration Job both need: the database, and the web's ConfigMap. */
export function webEnvironment(): Pick<Container, "env" | "envFrom"> {
  return {
    envFrom: [{ configMapRef: { name: webConfigMapName } }],
    env: [
      secretEnv("DATABASE_URL", "database-url"),
      secretEnv("REDIS_URL", "redis-url"),
      secretEnv("DRYDOCK_AGENT_SECRET", "agent-secret"),
      // Every log line names the pod that wrote it (the shared contract's WEB_NODE_ID).
      { name: "WEB_NODE_ID", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    ],
  };
}

export const webConfigMapName = "drydock-web";

/** The web's address inside the cluster: the agents' CONTROL_PLANE_URL. */
export function webServiceUrl(settings: ClusterSettings): string {
  return `http://drydock-web.${settings.namespace}.svc.cluster.local:${WEB_PORT}`;
}

/** The headless Service's name: it resolves to every ready web pod, and agents dial a tunnel to each (AGENT_TUNNEL_URLS). */
export function webNodesUrl(settings: ClusterSettings): string {
  return `http://drydock-web-nodes.${settings.namespace}.svc.cluster.local:${WEB_PORT}`;
}

export const WEB_PORT = 3000;
/** The web pods' Prometheus metrics (WEB_METRICS_PORT): Prometheus exporters' customary port. */
export const WEB_METRICS_PORT = 9464;
