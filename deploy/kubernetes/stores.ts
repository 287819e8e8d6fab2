import type { Deployment } from "kubernetes-types/apps/v1";
import type { PersistentVolumeClaim, Probe, Service } from "kubernetes-types/core/v1";
import { metadata, podDefaults, resources, selectorLabels, unprivileged } from "./objects";
import type { ClusterSettings } from "./settings";

/**
 * A service that keeps its data on a volume of its own: the registry (one for the
 * whole deployment; every agent's registry gateway forwards to it) and the package
 * cache (apt-cacher-ng; every agent's package-cache gateway forwards to it). Both
 * images come from `npm run provision` and run as their Debian package's system
 * user, uid 100 / gid 101 in both (debootstrap of a fixed package list).
 */
interface Store {
  component: "registry" | "apt-cache";
  name: string;
  image: (settings: ClusterSettings) => string;
  port: number;
  dataPath: string;
  sizeGi: (settings: ClusterSettings) => number;
  probe: Pick<Probe, "httpGet" | "tcpSocket">;
  cpu: string;
  memory: string;
  memoryLimit: string;
}

const STORES: Record<Store["component"], Store> = {
  registry: {
    component: "registry",
    name: "drydock-registry",
    image: (settings) => settings.images.registry,
    port: 5000,
    dataPath: "/var/lib/docker-registry",
    sizeGi: (settings) => settings.storage.registryGi,
    // Distribution answers /v2/ with 200 (no auth here: the agents' gateways decide who may read and write what).
    probe: { httpGet: { path: "/v2/", port: "registry" } },
    cpu: "100m",
    memory: "128Mi",
    memoryLimit: "512Mi",
  },
  "apt-cache": {
    component: "apt-cache",
    name: "drydock-apt-cache",
    image: (settings) => settings.images.aptCache,
    port: 3142,
    dataPath: "/var/cache/apt-cacher-ng",
    sizeGi: (settings) => settings.storage.aptCacheGi,
    // apt-cacher-ng's own report page: it answers without touching Debian's archive.
    probe: { httpGet: { path: "/acng-report.html", port: "apt-cache" } },
    cpu: "100m",
    memory: "128Mi",
    memoryLimit: "512Mi",
  },
};

export type StoreComponent = keyof typeof STORES;

export const STORE_COMPONENTS = Object.keys(STORES) as StoreComponent[];

/** Where the agents reach a store (REGISTRY_UPSTREAM, PACKAGE_CACHE_UPSTREAM). */
export function storeUrl(settings: ClusterSettings, component: StoreComponent): string {
  const store = STORES[component];
  return `http://${store.name}.${settings.namespace}.svc.cluster.local:${store.port}`;
}

export function storePort(component: StoreComponent): number {
  return STORES[component].port;
}

export function storeClaim(settings: ClusterSettings, component: StoreComponent): PersistentVolumeClaim {
  const store = STORES[component];
  const { storageClassName } = settings.storage;
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: metadata(settings, `${store.name}-data`, component),
    spec: {
      accessModes: ["ReadWriteOnce"],
      ...(storageClassName ? { storageClassName } : {}),
      resources: { requests: { storage: `${store.sizeGi(settings)}Gi` } },
    },
  };
}

export function storeDeployment(settings: ClusterSettings, component: StoreComponent): Deployment {
  const store = STORES[component];
  const probe = { ...store.probe, timeoutSeconds: 3 };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(settings, store.name, component),
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorLabels(component) },
      // Its volume is ReadWriteOnce: the old pod lets go of it before the new one mounts it.
      strategy: { type: "Recreate" },
      template: {
        metadata: { labels: selectorLabels(component) },
        spec: {
          ...podDefaults,
          securityContext: { runAsUser: 100, runAsGroup: 101, fsGroup: 101 },
          containers: [
            {
              name: component,
              image: store.image(settings),
              ports: [{ name: component, containerPort: store.port }],
              resources: resources(store.cpu, store.memory, store.memoryLimit),
              securityContext: unprivileged,
              readinessProbe: { ...probe, periodSeconds: 5, failureThreshold: 2 },
              livenessProbe: { ...probe, periodSeconds: 10, failureThreshold: 6 },
              volumeMounts: [{ name: "data", mountPath: store.dataPath }],
            },
          ],
          volumes: [{ name: "data", persistentVolumeClaim: { claimName: `${store.name}-data` } }],
        },
      },
    },
  };
}

export function storeService(settings: ClusterSettings, component: StoreComponent): Service {
  const store = STORES[component];
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(settings, store.name, component),
    spec: { selector: selectorLabels(component), ports: [{ name: component, port: store.port, targetPort: component }] },
  };
}
