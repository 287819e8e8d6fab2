import { describe, expect, it } from "vitest";
import { chainIds, cleanInstruction, imagesSnapshot } from "./model";
import type { RawImageScan } from "./scan";

const BASE = "sha256:aaaa";
const ONE = "sha256:1111";
const TWO = "sha256:2222";
const COPY_V1 = "sha256:c001";
const COPY_V2 = "sha256:c002";

/** Seconds: the sandbox started at 1000; the base image is older. */
const SANDBOX_START = 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

interface FakeStep {
  by: string;
  at: number;
  size: number;
  empty?: boolean;
  comment?: string;
}

const baseSteps: FakeStep[] = [{ by: "", at: 10, size: 74_000_000, comment: "Imported from -" }];
const v1Steps: FakeStep[] = [
  ...baseSteps,
  { by: "RUN /bin/sh -c echo one > /one # buildkit", at: 1100, size: 4 },
  { by: "RUN /bin/sh -c echo two > /two # buildkit", at: 1101, size: 4 },
  { by: "COPY a.txt /a.txt # buildkit", at: 1102, size: 3 },
  { by: 'CMD ["cat" "/a.txt"]', at: 1102, size: 0, empty: true },
];
// Rebuilt after a.txt changed: the two RUN steps kept their times (cached), COPY ran again.
const v2Steps: FakeStep[] = [
  ...v1Steps.slice(0, 3),
  { by: "COPY a.txt /a.txt # buildkit", at: 1200, size: 8 },
  { ...v1Steps[4], at: 1200 } as FakeStep,
];

function image(id: string, tags: string[], steps: FakeStep[], diffIds: string[], options: { config?: boolean } = {}) {
  const created = Math.max(...steps.map((step) => step.at));
  return {
    listed: { Id: id, RepoTags: tags, Created: created, Size: 74_000_011 },
    detail: {
      inspect: { Id: id, Created: iso(created), RootFS: { Type: "layers", Layers: diffIds } },
      history: [...steps]
        .reverse()
        .map((step) => ({ CreatedBy: step.by, Created: Math.floor(step.at), Size: step.size, Comment: step.comment ?? "" })),
      ...(options.config === false
        ? {}
        : {
            config: {
              history: steps.map((step) => ({ created: iso(step.at), created_by: step.by, ...(step.empty ? { empty_layer: true } : {}) })),
            },
          }),
    },
  };
}

function tagEvent(id: string, name: string, at: number) {
  return { Type: "image", Action: "tag", Actor: { ID: id, Attributes: { name } }, time: Math.floor(at), timeNano: at * 1e9 };
}

function scan(images: ReturnType<typeof image>[], events: unknown[], cacheUses: number[], now = 1300): RawImageScan {
  return {
    now,
    uptimeSeconds: now - SANDBOX_START,
    images: images.map((entry) => entry.listed),
    events,
    buildCache: { BuildCache: cacheUses.map((at) => ({ ID: `r${at}`, LastUsedAt: iso(at) })) },
    details: new Map(images.map((entry) => [entry.listed.Id, entry.detail])),
  };
}

const v1 = image("sha256:v1", ["hello:v0.1"], v1Steps, [BASE, ONE, TWO, COPY_V1]);
const v2 = image("sha256:v2", ["hello:v0.2"], v2Steps, [BASE, ONE, TWO, COPY_V2]);

describe("imagesSnapshot", () => {
  it("stacks each image's steps base first, with sizes, cleaned instructions and no layer for metadata-only steps", () => {
    const snapshot = imagesSnapshot(scan([v1], [], []));
    expect(snapshot.omitted).toBe(0);
    expect(snapshot.images).toHaveLength(1);
    const [stack] = snapshot.images;
    expect(stack?.tags).toEqual(["hello:v0.1"]);
    expect(stack?.layers.map((layer) => [layer.instruction, layer.size, layer.layerId !== undefined])).toEqual([
      ["(a whole filesystem, added by docker import)", 74_000_000, true],
      ["RUN echo one > /one", 4, true],
      ["RUN echo two > /two", 4, true],
      ["COPY a.txt /a.txt", 3, true],
      ['CMD ["cat" "/a.txt"]', 0, false],
    ]);
    expect(stack?.approximate).toBeUndefined();
    expect(stack?.layers.map((layer) => layer.layerId).filter(Boolean)).toEqual(chainIds([BASE, ONE, TWO, COPY_V1]));
  });

  it("names the other images that hold the same layer, by chain id, not by equal content alone", () => {
    // Same content as ONE, but on another base: a different layer for Docker.
    const other = image(
      "sha256:other",
      [],
      [{ by: "", at: 20, size: 5, comment: "Imported from -" }, v1Steps[1] as FakeStep],
      ["sha256:bbbb", ONE],
    );
    const snapshot = imagesSnapshot(scan([v2, v1, other], [], []));
    const [second, first, third] = snapshot.images;
    expect(second?.layers.map((layer) => layer.sharedWith)).toEqual([["hello:v0.1"], ["hello:v0.1"], ["hello:v0.1"], undefined, undefined]);
    expect(first?.layers[0]?.sharedWith).toEqual(["hello:v0.2"]);
    // An untagged image is named by its short id.
    expect(third?.layers.map((layer) => layer.sharedWith)).toEqual([undefined, undefined]);
    expect(second?.layers[1]?.sharedWith).not.toContain("other");
  });

  it("marks the last build's cached steps (made before the previous image event), its new ones and its base", () => {
    const events = [tagEvent("sha256:v1", "hello:v0.1", 1103), tagEvent("sha256:v2", "hello:v0.2", 1201)];
    const snapshot = imagesSnapshot(scan([v2, v1], events, [1103.1, 1201.05]));
    expect(snapshot.lastBuild).toEqual({ imageId: "sha256:v2", tag: "hello:v0.2", finishedAt: iso(1201), cachedSteps: 2 });
    const [built, earlier] = snapshot.images;
    expect(built?.layers.map((layer) => layer.origin)).toEqual(["base", "cached", "cached", "built", undefined]);
    // Only the last build's image is marked.
    expect(earlier?.layers.every((layer) => layer.origin === undefined)).toBe(true);
  });

  it("calls a first build's steps built, and a fully cached rebuild's steps cached", () => {
    const first = imagesSnapshot(scan([v1], [tagEvent("sha256:v1", "hello:v0.1", 1103)], [1103.05]));
    expect(first.images[0]?.layers.map((layer) => layer.origin)).toEqual(["base", "built", "built", "built", undefined]);
    expect(first.lastBuild?.cachedSteps).toBe(0);

    const again = imagesSnapshot(
      scan([v1], [tagEvent("sha256:v1", "hello:v0.1", 1103), tagEvent("sha256:v1", "hello:v0.1", 1150)], [1150.03]),
    );
    expect(again.images[0]?.layers.map((layer) => layer.origin)).toEqual(["base", "cached", "cached", "cached", undefined]);
  });

  it("treats several tags of one build as one, and a later docker tag as no build", () => {
    const events = [
      tagEvent("sha256:v1", "hello:v0.1", 1103),
      tagEvent("sha256:v2", "hello:v0.2", 1201),
      tagEvent("sha256:v2", "hello:latest", 1201.001),
      // `docker tag hello:v0.1 mine:1` a few seconds after the build: the cache was not used for it.
      tagEvent("sha256:v1", "mine:1", 1205),
    ];
    const snapshot = imagesSnapshot(scan([v2, v1], events, [1103.1, 1201.05]));
    expect(snapshot.lastBuild?.imageId).toBe("sha256:v2");
    expect(snapshot.images[0]?.layers.map((layer) => layer.origin)).toEqual(["base", "cached", "cached", "built", undefined]);
  });

  it("reports no last build without a build's tag event, or when its image is gone", () => {
    expect(imagesSnapshot(scan([v1], [], [1103.1])).lastBuild).toBeUndefined();
    expect(imagesSnapshot(scan([v1], [tagEvent("sha256:gone", "x:1", 1103)], [1103.1])).lastBuild).toBeUndefined();
  });

  it("falls back to the history API when the image store's config is unreadable, guessing metadata-only steps", () => {
    const withoutConfig = image("sha256:v1", ["hello:v0.1"], v1Steps, [BASE, ONE, TWO, COPY_V1], { config: false });
    const [stack] = imagesSnapshot(scan([withoutConfig], [], [])).images;
    expect(stack?.approximate).toBeUndefined();
    expect(stack?.layers.map((layer) => layer.layerId !== undefined)).toEqual([true, true, true, true, false]);
  });

  it("marks an image approximate, without layer ids, when its history and layers do not match up", () => {
    const mismatched = image("sha256:odd", ["odd:1"], v1Steps, [BASE, ONE]);
    const [stack] = imagesSnapshot(scan([mismatched], [], [])).images;
    expect(stack?.approximate).toBe(true);
    expect(stack?.layers.every((layer) => layer.layerId === undefined)).toBe(true);
    expect(stack?.layers).toHaveLength(5);
  });

  it("survives garbage: unparsed sections, wrong types, a huge history, too many images", () => {
    const garbage: RawImageScan = {
      now: Number.NaN,
      uptimeSeconds: undefined,
      images: [null, 7, { Id: 5 }, { Id: "sha256:x", RepoTags: "nope", Size: "big" }],
      events: [null, "tag", { Action: 3 }],
      buildCache: "broken",
      details: new Map([["sha256:x", { inspect: [], history: { no: 1 }, config: 42 }]]),
    };
    const snapshot = imagesSnapshot(garbage);
    expect(snapshot.images).toEqual([{ id: "sha256:x", tags: [], createdAt: new Date(0).toISOString(), size: 0, layers: [] }]);
    expect(snapshot.lastBuild).toBeUndefined();

    const huge = image(
      "sha256:huge",
      ["huge:1"],
      Array.from({ length: 500 }, (_, index) => ({ by: `RUN /bin/sh -c echo ${index} # buildkit`, at: 1100 + index, size: 1 })),
      Array.from({ length: 500 }, (_, index) => `sha256:${index}`),
    );
    const [stack] = imagesSnapshot(scan([huge], [], [])).images;
    expect(stack?.layers).toHaveLength(200);
    expect(stack?.layers.at(-1)?.instruction).toBe("RUN echo 499");
    expect(stack?.approximate).toBe(true);

    const many = Array.from({ length: 75 }, (_, index) => image(`sha256:m${index}`, [`m:${index}`], v1Steps, [BASE, ONE, TWO, COPY_V1]));
    const crowded = imagesSnapshot(scan(many, [], []));
    expect(crowded.images).toHaveLength(60);
    expect(crowded.omitted).toBe(15);
  });
});

describe("cleanInstruction", () => {
  it.each([
    ["RUN /bin/sh -c apt-get update # buildkit", "", "RUN apt-get update"],
    ["RUN |1 NODE=20 /bin/sh -c echo $NODE # buildkit", "", "RUN echo $NODE"],
    ["COPY . /usr/src/app/ # buildkit", "", "COPY . /usr/src/app/"],
    ['CMD ["python3" "app.py"]', "buildkit.dockerfile.v0", 'CMD ["python3" "app.py"]'],
    ['/bin/sh -c #(nop)  CMD ["bash"]', "", 'CMD ["bash"]'],
    ["/bin/sh -c #(nop) ADD file:4ee8 in / ", "", "ADD file:4ee8 in /"],
    ["/bin/sh -c apt-get install -y nodejs", "", "RUN apt-get install -y nodejs"],
    ["|2 A=1 B=2 /bin/sh -c make", "", "RUN make"],
    ["", "Imported from -", "(a whole filesystem, added by docker import)"],
    ["", "made by hand", "(made by hand)"],
    ["", "", "(no instruction recorded)"],
  ])("%s → %s", (createdBy, comment, expected) => {
    expect(cleanInstruction(createdBy, comment)).toBe(expected);
  });
});

describe("chainIds", () => {
  it("is Docker's ChainID: the first layer's diff id, then sha256 of the chain below and the diff id", () => {
    const [first, second] = chainIds(["sha256:a", "sha256:b"]);
    expect(first).toBe("sha256:a");
    // printf "sha256:a sha256:b" | sha256sum
    expect(second).toBe("sha256:970a948bffa8de94d6e22d747ba8c95030e6e546909f98f54e99a13005e173a8");
  });
});
