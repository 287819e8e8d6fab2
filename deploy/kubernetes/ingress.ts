import type { Ingress, IngressRule } from "kubernetes-types/networking/v1";
import { metadata, WEB_PORT } from "./objects";
import type { ClusterSettings } from "./settings";

/**
 * Annotations for ingress-nginx. It passes WebSocket upgrades by itself; what
 * needs saying is how long a quiet terminal may stay open (its default, 60 s,
 * would cut an idle learner's socket every minute) and the largest body (a
 * 1 MiB file saved from the editor). No session affinity: browsers speak
 * socket.io over WebSocket only, and any web node serves any learner.
 */
export const INGRESS_NGINX_ANNOTATIONS = {
  "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
  "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
  "nginx.ingress.kubernetes.io/proxy-body-size": "8m",
  "nginx.ingress.kubernetes.io/proxy-buffering": "off",
} as const;

/** The main host and the previews' wildcard host both go to the web, which tells them apart by Host. */
export function webIngress(settings: ClusterSettings): Ingress {
  const hosts = [settings.host, `*.${settings.previewDomain}`];
  const rule = (host: string): IngressRule => ({
    host,
    http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "drydock-web", port: { number: WEB_PORT } } } }] },
  });
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { ...metadata(settings, "drydock-web", "web"), annotations: { ...INGRESS_NGINX_ANNOTATIONS } },
    spec: {
      ingressClassName: settings.ingressClassName,
      tls: [{ hosts, secretName: settings.tlsSecretName }],
      rules: hosts.map(rule),
    },
  };
}
