import { DaemonSet, Deployment } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, PersistentVolumeClaim, Service } from "kubernetes-models/v1";

/**
 * The kinds Drydock's manifests use, each with its validator compiled from
 * Kubernetes' OpenAPI JSON schemas (the kubernetes-models package ships them;
 * nothing is fetched). A kind missing here fails validation, so a new kind is
 * never left unchecked.
 */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "apps/v1/Deployment": Deployment,
  "apps/v1/DaemonSet": DaemonSet,
  "batch/v1/Job": Job,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/Ingress": Ingress,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

/** The schema's complaint about an object, or undefined when it conforms. */
export function schemaProblem(object: unknown): string | undefined {
  const { apiVersion, kind } = (object ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const Model = MODELS[`${apiVersion}/${kind}`];
  if (!Model) return `no schema for ${String(apiVersion)}/${String(kind)}: add its kubernetes-models class to deploy/kubernetes/schemas.ts`;
  try {
    new Model(object as never).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
