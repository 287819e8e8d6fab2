import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { RENDERED_DIR, renderAll } from "./render";
import { schemaProblem } from "./schemas";

const fresh = renderAll();

async function committed(): Promise<Map<string, string>> {
  const names = (await readdir(RENDERED_DIR)).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(RENDERED_DIR, name), "utf8")] as const)));
}

describe("deploy/kubernetes/rendered", () => {
  it("is what `npm run k8s:render` writes now (run it and commit the result when this fails)", async () => {
    const files = await committed();
    expect([...files.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [name, text] of fresh) expect(files.get(name), name).toBe(text);
  });

  it("holds only objects that Kubernetes' JSON schemas accept", async () => {
    const files = await committed();
    let checked = 0;
    for (const [name, text] of files) {
      if (name === "kustomization.yaml") continue;
      for (const document of parseAllDocuments(text)) {
        expect(document.errors, name).toEqual([]);
        const object = document.toJS();
        expect(schemaProblem(object), `${name}: ${object?.kind}/${object?.metadata?.name}`).toBeUndefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it("lists every applied file in kustomization.yaml, the migration Job apart", () => {
    const kustomization = parseAllDocuments(fresh.get("kustomization.yaml") ?? "")[0]?.toJS() as { resources: string[] };
    const manifests = [...fresh.keys()].filter((name) => name !== "kustomization.yaml" && name !== "migrate-job.yaml");
    expect(kustomization.resources).toEqual(manifests.sort());
  });
});

describe("the schema check", () => {
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "probe" },
    spec: { selector: { matchLabels: { a: "b" } }, template: { spec: { containers: [{ name: "c", image: "c:1" }] } } },
  };

  it("accepts a well-formed object", () => {
    expect(schemaProblem(deployment)).toBeUndefined();
  });

  it("refuses a wrong type, a missing required field and an unknown kind", () => {
    expect(schemaProblem({ ...deployment, spec: { ...deployment.spec, replicas: "3" } })).toMatch(/replicas must be integer/);
    expect(schemaProblem({ ...deployment, spec: { template: deployment.spec.template } })).toMatch(/selector/);
    expect(schemaProblem({ apiVersion: "v1", kind: "Pot" })).toMatch(/no schema for v1\/Pot/);
  });
});
