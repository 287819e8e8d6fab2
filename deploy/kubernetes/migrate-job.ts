import type { Job } from "kubernetes-types/batch/v1";
import { metadata, podDefaults, resources, selectorLabels, unprivileged, webEnvironment } from "./objects";
import type { ClusterSettings } from "./settings";

export const MIGRATE_JOB_NAME = "drydock-migrate";

/**
 * Applies the database migrations of the web image about to roll out
 * (prisma/migrate.ts), before the rollout: the runbook's upgrade deletes the
 * previous run, applies this with the new image and waits for it to complete.
 * Migrations are additive, so the nodes still running the old image keep working.
 */
export function migrateJob(settings: ClusterSettings): Job {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: metadata(settings, MIGRATE_JOB_NAME, "migrate"),
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: 900,
      template: {
        metadata: { labels: selectorLabels("migrate") },
        spec: {
          ...podDefaults,
          restartPolicy: "Never",
          securityContext: { runAsUser: 1000, runAsGroup: 1000 },
          containers: [
            {
              name: "migrate",
              image: settings.images.web,
              workingDir: "/app",
              command: ["node", "--import", "tsx", "prisma/migrate.ts"],
              ...webEnvironment(),
              resources: resources("250m", "256Mi", "1Gi"),
              securityContext: unprivileged,
            },
          ],
        },
      },
    },
  };
}
