import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DaemonSet, Deployment } from "kubernetes-types/apps/v1";
import type { ConfigMap, Service } from "kubernetes-types/core/v1";
import type { Ingress } from "kubernetes-types/networking/v1";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../apps/sandbox-agent/src/config";
import { parseWebConfig } from "../../apps/web/src/server/config";
import { type KubernetesObject, manifestFiles } from "./manifests";
import { defaultSettings } from "./settings";
import { containersOf, podTemplates } from "./workloads";

const objects: KubernetesObject[] = manifestFiles(defaultSettings).flatMap((file) => file.objects);
const pods = podTemplates(objects);
const containers = pods.flatMap((pod) => containersOf(pod).map((entry) => ({ ...entry, owner: `${pod.owner} ${entry.container.name}` })));

function find<T>(kind: string, name: string): T {
  const found = objects.find((object) => object.kind === kind && object.metadata?.name === name);
  if (!found) throw new Error(`no ${kind}/${name} among the manifests`);
  return found as T;
}

/** Names of environment variables that hold a secret: they must come from a Secret, never a literal. */
const SECRET_ENV = /SECRET|PASSWORD|TOKEN|CREDENTIAL|DATABASE_URL|REDIS_URL/;

describe("the Kubernetes manifests", () => {
  it("hold the workloads the runbook applies", () => {
    const names = objects.map((object) => `${object.kind}/${object.metadata?.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "Namespace/drydock",
        "Deployment/drydock-web",
        "Service/drydock-web",
        "PodDisruptionBudget/drydock-web",
        "DaemonSet/drydock-agent",
        "Deployment/drydock-registry",
        "PersistentVolumeClaim/drydock-registry-data",
        "Service/drydock-registry",
        "Ingress/drydock-web",
        "Job/drydock-migrate",
      ]),
    );
    expect(pods.length).toBeGreaterThanOrEqual(5);
  });

  it("give every namespaced object the namespace", () => {
    const strays = objects.filter((object) => object.kind !== "Namespace" && object.metadata?.namespace !== defaultSettings.namespace);
    expect(strays.map((object) => `${object.kind}/${object.metadata?.name}`)).toEqual([]);
  });

  it("give every container CPU and memory requests and a memory limit", () => {
    const missing = containers
      .filter(({ container }) => {
        const { requests, limits } = container.resources ?? {};
        return !requests?.cpu || !requests.memory || !limits?.memory;
      })
      .map(({ owner }) => owner);
    expect(missing).toEqual([]);
  });

  it("give every long-running container readiness and liveness probes", () => {
    const missing = containers
      .filter(({ init }) => !init)
      .filter(({ owner }) => !owner.startsWith("Job/"))
      .filter(({ container }) => !container.readinessProbe || !container.livenessProbe)
      .map(({ owner }) => owner);
    expect(missing).toEqual([]);
  });

  it("probe the web nodes on /healthz, on the port the web listens on", () => {
    const web = find<Deployment>("Deployment", "drydock-web");
    const container = web.spec?.template.spec?.containers[0];
    for (const probe of [container?.startupProbe, container?.readinessProbe, container?.livenessProbe]) {
      expect(probe?.httpGet?.path).toBe("/healthz");
      expect(container?.ports?.find((port) => port.name === probe?.httpGet?.port)?.containerPort).toBe(3000);
    }
    expect(web.spec?.replicas).toBeGreaterThan(1);
  });

  it("run the agent on sandbox hosts only", () => {
    const agent = find<DaemonSet>("DaemonSet", "drydock-agent");
    expect(agent.spec?.template.spec?.nodeSelector).toEqual({ "drydock.dev/sandbox-host": "true" });
  });

  it("keep secrets out of plain env: secret-like variables come from Secrets, and no value carries a password", () => {
    const envs = containers.flatMap(({ container, owner }) => (container.env ?? []).map((variable) => ({ owner, variable })));
    expect(envs.length).toBeGreaterThan(10);
    const plain = envs
      .filter(({ variable }) => SECRET_ENV.test(variable.name) && !variable.valueFrom?.secretKeyRef)
      .map(({ owner, variable }) => `${owner} ${variable.name}`);
    expect(plain).toEqual([]);
    const withPasswords = envs
      .filter(({ variable }) => /:\/\/[^/\s@]+:[^/\s@]+@/.test(variable.value ?? ""))
      .map(({ variable }) => variable.name);
    expect(withPasswords).toEqual([]);
    const configData = objects
      .filter((object) => object.kind === "ConfigMap")
      .flatMap((map) => Object.entries((map as ConfigMap).data ?? {}));
    expect(configData.filter(([name, value]) => SECRET_ENV.test(name) || /:\/\/[^/\s@]+:[^/\s@]+@/.test(value))).toEqual([]);
  });

  it("pin every image to a tag that is not latest", () => {
    const images = containers.map(({ container }) => container.image ?? "");
    expect(images.length).toBeGreaterThan(0);
    const unpinned = images.filter((image) => {
      if (/@sha256:[0-9a-f]{64}$/.test(image)) return false;
      const tag = /:([\w][\w.-]{0,127})$/.exec(image.slice(image.lastIndexOf("/") + 1))?.[1];
      return !tag || tag === "latest";
    });
    expect(unpinned).toEqual([]);
  });

  it("route the main host and the wildcard preview host to the web, both under TLS", () => {
    const ingress = find<Ingress>("Ingress", "drydock-web");
    const preview = `*.${defaultSettings.previewDomain}`;
    const routes = Object.fromEntries((ingress.spec?.rules ?? []).map((rule) => [rule.host, rule.http?.paths[0]?.backend.service?.name]));
    expect(routes).toEqual({ [defaultSettings.host]: "drydock-web", [preview]: "drydock-web" });
    expect(ingress.spec?.tls?.[0]?.hosts).toEqual(expect.arrayContaining([defaultSettings.host, preview]));
    expect(Number(ingress.metadata?.annotations?.["nginx.ingress.kubernetes.io/proxy-read-timeout"])).toBeGreaterThanOrEqual(3600);
  });

  it("justify every host access of every pod with a drydock.dev/why-* annotation, and claim none it does not take", () => {
    for (const pod of pods) {
      const { spec, metadata } = pod.template;
      const taken = [
        ...(spec.hostNetwork ? ["host-network"] : []),
        ...(spec.hostPID ? ["host-pid"] : []),
        ...(spec.hostIPC ? ["host-ipc"] : []),
        ...(containersOf(pod).some(({ container }) => container.securityContext?.privileged) ? ["privileged"] : []),
        ...containersOf(pod).flatMap(({ container }) =>
          (container.securityContext?.capabilities?.add ?? []).map((cap) => `capability-${cap}`),
        ),
        ...(spec.volumes ?? []).filter((volume) => volume.hostPath).map((volume) => `hostpath-${volume.name}`),
      ].map((what) => `drydock.dev/why-${what}`);
      const justified = Object.entries(metadata?.annotations ?? {})
        .filter(([key, why]) => key.startsWith("drydock.dev/why-") && why.length >= 40)
        .map(([key]) => key);
      expect(justified.sort(), pod.owner).toEqual(taken.sort());
    }
  });

  it("give no pod an API token or service links", () => {
    const loose = pods.filter(
      ({ template }) => template.spec.automountServiceAccountToken !== false || template.spec.enableServiceLinks !== false,
    );
    expect(loose.map((pod) => pod.owner)).toEqual([]);
  });

  it("run every pod but the agent unprivileged: non-root, no capabilities, no escalation", () => {
    const loose = containers
      .filter(({ owner }) => !owner.startsWith("DaemonSet/drydock-agent"))
      .filter(({ container }) => {
        const context = container.securityContext;
        return !context?.runAsNonRoot || context.allowPrivilegeEscalation !== false || !context.capabilities?.drop?.includes("ALL");
      })
      .map(({ owner }) => owner);
    expect(loose).toEqual([]);
  });

  it("select, in every workload and Service, pods that carry the labels and ports asked for", () => {
    // A Job's selector is made by Kubernetes; every other workload's must match its own template.
    for (const object of objects.filter((candidate) => candidate.kind !== "Job")) {
      const spec = (
        object as {
          spec?: { selector?: { matchLabels?: Record<string, string> }; template?: { metadata?: { labels?: Record<string, string> } } };
        }
      ).spec;
      if (spec?.template)
        expect(spec.template.metadata?.labels, `${object.kind}/${object.metadata?.name}`).toMatchObject(
          spec.selector?.matchLabels ?? { none: "" },
        );
    }
    for (const service of objects.filter((object): object is Service => object.kind === "Service")) {
      const targets = pods.filter((pod) =>
        Object.entries(service.spec?.selector ?? {}).every(([key, value]) => pod.template.metadata?.labels?.[key] === value),
      );
      expect(targets.length, service.metadata?.name).toBe(1);
      const portNames = targets.flatMap((pod) =>
        pod.template.spec.containers.flatMap((container) => container.ports?.map((port) => port.name) ?? []),
      );
      for (const port of service.spec?.ports ?? []) expect(portNames, service.metadata?.name).toContain(port.targetPort);
    }
  });

  it("hand the agent an environment its own configuration accepts, pointing at the one registry and the web Service", () => {
    const agent = find<DaemonSet>("DaemonSet", "drydock-agent");
    const env = agent.spec?.template.spec?.containers[0]?.env ?? [];
    const resolved = Object.fromEntries(
      env.map((variable) => {
        if (variable.valueFrom?.fieldRef?.fieldPath === "status.podIP") return [variable.name, "10.1.2.3"];
        if (variable.valueFrom) return [variable.name, "x".repeat(40)];
        return [variable.name, (variable.value ?? "").replaceAll("$(POD_IP)", "10.1.2.3")];
      }),
    );
    // drydock-agent-start adds the node's credential from the mounted Secret (image/agent-start.sh).
    const config = loadConfig({ ...resolved, DRYDOCK_AGENT_CREDENTIAL: "stand-in-credential-of-this-node" });
    // No inbound port: the API on the node's loopback, reached through the tunnels dialed to every web pod.
    expect(config.AGENT_HOST).toBe("127.0.0.1");
    expect(config.AGENT_PUBLIC_URL).toBe("");
    expect(config.AGENT_TUNNEL_URLS).toEqual([`http://drydock-web-nodes.${defaultSettings.namespace}.svc.cluster.local:3000`]);
    expect(find<Service>("Service", "drydock-web-nodes").spec?.clusterIP).toBe("None");
    expect(config.REGISTRY_UPSTREAM).toBe(`http://drydock-registry.${defaultSettings.namespace}.svc.cluster.local:5000`);
    expect(resolved.CONTROL_PLANE_URL).toBe(`http://drydock-web.${defaultSettings.namespace}.svc.cluster.local:3000`);
    expect(agent.spec?.template.spec?.dnsPolicy).toBe("ClusterFirstWithHostNet");
  });

  it("let the web, and only it, through the Redis chart's network policy (external/redis-values.yaml)", async () => {
    const values = parse(await readFile(join(import.meta.dirname, "external/redis-values.yaml"), "utf8"));
    expect(values.networkPolicy).toEqual({ enabled: true, allowExternal: false });
    // Bitnami's chart admits pods labelled <release>-client=true; the runbook installs it as drydock-redis.
    const clients = pods.filter((pod) => pod.template.metadata?.labels?.["drydock-redis-client"] === "true").map((pod) => pod.owner);
    expect(clients).toEqual(["Deployment/drydock-web"]);
  });

  it("give the web a ConfigMap its own configuration accepts", () => {
    const data = find<ConfigMap>("ConfigMap", "drydock-web").data ?? {};
    // The Secret's values are the operator's; stand-ins of the right shape take their place here.
    const config = parseWebConfig({ ...data, DRYDOCK_AGENT_SECRET: "x".repeat(40), DATABASE_URL: "file:/stand-in.db" });
    expect(config.PREVIEW_DOMAIN).toBe(defaultSettings.previewDomain);
    expect(config.WEB_PORT).toBe(3000);
    // The metrics listener faces the pod network (a port-forward or a scraper), on the port the container declares.
    const web = find<Deployment>("Deployment", "drydock-web").spec?.template.spec?.containers[0];
    expect(config.WEB_METRICS_HOST).toBe("0.0.0.0");
    expect(web?.ports?.find((port) => port.name === "metrics")?.containerPort).toBe(config.WEB_METRICS_PORT);
  });
});
