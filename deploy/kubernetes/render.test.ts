import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RENDERED_DIR, renderAll, renderRequest, writeRendered } from "./render";
import { defaultSettings } from "./settings";

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "drydock-k8s-render-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function settingsFile(name: string, content: unknown): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("npm run k8s:render", () => {
  it("renders the defaults into rendered/ when asked nothing", async () => {
    expect(await renderRequest([])).toEqual({ settings: defaultSettings, out: RENDERED_DIR });
  });

  it("renders a cluster's own settings, the rest left at the defaults, into the folder asked for", async () => {
    const path = await settingsFile("cluster.json", {
      host: "docker.school.example",
      previewDomain: "previews.school.example",
      images: { web: "reg.school.example/drydock/web:1.2.3" },
      webReplicas: 5,
    });
    const out = join(scratch, "out");
    const { settings, out: folder } = await renderRequest(["--settings", path, "--out", out]);
    expect(folder).toBe(out);
    expect(settings.images).toEqual({ ...defaultSettings.images, web: "reg.school.example/drydock/web:1.2.3" });
    expect(settings.namespace).toBe("drydock");

    await writeRendered(renderAll(settings), out);
    await writeFile(join(out, "99-removed-since.yaml"), "kind: Stale\n");
    await writeFile(join(out, "notes.txt"), "the operator's own\n");
    await writeRendered(renderAll(settings), out);
    expect((await readdir(out)).sort()).toEqual([...renderAll(settings).keys(), "notes.txt"].sort());
    const web = await readFile(join(out, "10-web.yaml"), "utf8");
    expect(web).toContain("replicas: 5");
    expect(web).toContain("image: reg.school.example/drydock/web:1.2.3");
    expect(await readFile(join(out, "40-ingress.yaml"), "utf8")).toContain('host: "*.previews.school.example"');
  });

  it("names each bad field with what it must be", async () => {
    const path = await settingsFile("bad.json", { images: { agent: "drydock/agent:latest" }, webReplicas: 0, hots: "x" });
    const failure = renderRequest(["--settings", path, "--out", join(scratch, "bad")]);
    await expect(failure).rejects.toThrow(/images\.agent: must name a registry path and a tag other than latest/);
    await expect(failure).rejects.toThrow(/webReplicas: .*>=1/);
    await expect(failure).rejects.toThrow(/Unrecognized key: "hots"/);
  });

  it("refuses a settings file it cannot read, and an output that would overwrite the committed defaults", async () => {
    const broken = await settingsFile("broken.json", "{ host: ");
    await expect(renderRequest(["--settings", broken, "--out", join(scratch, "x")])).rejects.toThrow(
      /Cannot read the settings file .*broken\.json/,
    );
    const good = await settingsFile("good.json", {});
    await expect(renderRequest(["--settings", good])).rejects.toThrow(/--out DIR is needed/);
    await expect(renderRequest(["--settings", good, "--out", RENDERED_DIR])).rejects.toThrow(/another folder/);
  });
});
