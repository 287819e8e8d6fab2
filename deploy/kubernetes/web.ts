import type { Deployment } from "kubernetes-types/apps/v1";
import type { ConfigMap, Service } from "kubernetes-types/core/v1";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1";
import {
  httpProbe,
  metadata,
  podDefaults,
  resources,
  selectorLabels,
  unprivileged,
  WEB_METRICS_PORT,
  WEB_PORT,
  webConfigMapName,
  webEnvironment,
} from "./objects";
import type { ClusterSettings } from "./settings";

export const REDIS_CLIENT_LABEL = "drydock-redis-client";

/** The web's settings that are no secret (the secret ones come from the Secret, objects.ts). */
export function webConfigMap(settings: ClusterSettings): ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: metadata(settings, webConfigMapName, "web"),
    data: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      WEB_HOST: "0.0.0.0",
      WEB_PORT: String(WEB_PORT),
      // Each pod's event-loop delay, GC and sockets for its operators; the NetworkPolicy admits only the ingress and agents to the web port, and nobody to this one from outside the pod (kubectl port-forward reaches it).
      WEB_METRICS_HOST: "0.0.0.0",
      WEB_METRICS_PORT: String(WEB_METRICS_PORT),
      PREVIEW_DOMAIN: settings.previewDomain,
      TRUSTED_PROXIES: settings.podNetworkCidr,
      MAX_LIVE_SANDBOXES: String(settings.maxLiveSandboxes),
    },
  };
}

/**
 * Web nodes: any number behind the Service; socket.io spans them through Redis
 * and every node reaches every agent, so a browser may land on any replica.
 */
export function webDeployment(settings: ClusterSettings): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(settings, "drydock-web", "web"),
    spec: {
      replicas: settings.webReplicas,
      selector: { matchLabels: selectorLabels("web") },
      // One new node ready before an old one goes: the room never has fewer nodes than it asked for.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        // drydock-redis-client: Bitnami's Redis chart admits pods with this label only (external/redis-values.yaml).
        metadata: { labels: { ...selectorLabels("web"), [REDIS_CLIENT_LABEL]: "true" } },
        spec: {
          ...podDefaults,
          // Browsers whose node goes reconnect through another (socket.io's connection-state recovery).
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "kubernetes.io/hostname",
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: selectorLabels("web") },
            },
          ],
          containers: [
            {
              name: "web",
              image: settings.images.web,
              ports: [
                { name: "http", containerPort: WEB_PORT },
                { name: "metrics", containerPort: WEB_METRICS_PORT },
              ],
              ...webEnvironment(),
              resources: resources("250m", "512Mi", "1Gi"),
              securityContext: unprivileged,
              // Next.js compiles nothing at start, but a cold node reads its build; give it a minute.
              startupProbe: httpProbe("/healthz", "http", 2, 30),
              // Out of the Service while its database or Redis does not answer.
              readinessProbe: httpProbe("/healthz", "http", 5, 2),
              // Restarted only after a minute of failures: a PostgreSQL or Redis restart (seconds) must not restart every node.
              livenessProbe: httpProbe("/healthz", "http", 10, 6),
            },
          ],
        },
      },
    },
  };
}

export function webService(settings: ClusterSettings): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(settings, "drydock-web", "web"),
    spec: {
      selector: selectorLabels("web"),
      ports: [{ name: "http", port: WEB_PORT, targetPort: "http" }],
    },
  };
}

/**
 * Every web pod by name, without a balancer in between: an agent dials a
 * tunnel to each address it resolves to, so every web node reaches every
 * agent without any inbound port on the sandbox hosts.
 */
export function webNodesService(settings: ClusterSettings): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(settings, "drydock-web-nodes", "web"),
    spec: {
      clusterIP: "None",
      selector: selectorLabels("web"),
      ports: [{ name: "http", port: WEB_PORT, targetPort: "http" }],
    },
  };
}

/** A node drain or cluster upgrade takes one web node at a time. */
export function webDisruptionBudget(settings: ClusterSettings): PodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: metadata(settings, "drydock-web", "web"),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels("web") } },
  };
}
