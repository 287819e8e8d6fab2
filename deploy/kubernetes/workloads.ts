import type { Container, PodSpec, PodTemplateSpec } from "kubernetes-types/core/v1";
import type { KubernetesObject } from "./manifests";

/** A workload's pod template, with what made it (for messages). */
export interface PodTemplate {
  owner: string;
  kind: string;
  template: PodTemplateSpec & { spec: PodSpec };
}

/** The pod templates of Deployments, DaemonSets and Jobs, which is where every container of Drydock's manifests lives. */
export function podTemplates(objects: readonly KubernetesObject[]): PodTemplate[] {
  return objects.flatMap((object) => {
    const template = (object as { spec?: { template?: PodTemplateSpec } }).spec?.template;
    if (!template?.spec) return [];
    return [{ owner: `${object.kind}/${object.metadata?.name}`, kind: object.kind ?? "", template: { ...template, spec: template.spec } }];
  });
}

export function containersOf(pod: PodTemplate): { container: Container; init: boolean }[] {
  return [
    ...(pod.template.spec.initContainers ?? []).map((container) => ({ container, init: true })),
    ...pod.template.spec.containers.map((container) => ({ container, init: false })),
  ];
}
