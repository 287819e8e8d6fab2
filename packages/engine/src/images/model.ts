import { createHash } from "node:crypto";
import type { ImageLayer, ImageStack, ImagesSnapshot, LastBuild, LayerOrigin } from "@drydock/protocol";
import { MAX_LISTED_IMAGES, type RawImageScan } from "./scan";

/** Most history entries kept per image (the newest); an image with more is marked approximate. */
export const MAX_IMAGE_LAYERS = 200;

/** Tag events of one image this close together come from one build (`-t a -t b`). */
const SAME_BUILD_MS = 2_000;
/**
 * BuildKit releases the build cache's records (their LastUsedAt) just after
 * it names the image: the last build's tag is the last tag event at most this
 * long before the latest release. A `docker tag` comes after it, so is no build.
 */
const NAMING_TO_RELEASE_MS = 10_000;

interface Step {
  instruction: string;
  size: number;
  createdMs: number;
  /** Made a filesystem layer (false for ENV, CMD and the like). */
  layered: boolean;
}

interface ImageEvent {
  action: string;
  imageId: string;
  /** The name the event was about (a tag's new name). */
  name?: string;
  timeMs: number;
}

/**
 * The sandbox's images as stacks of layers. Which layers two images share is
 * Docker's own identity (the chain of diff ids). Which steps of the last build
 * came from the cache is read from time: BuildKit keeps a cached step's
 * original creation time, so a step of the last build's image made after the
 * sandbox started but before the engine's previous image event (the build
 * before, a pull, a tag) was reused; a step older than the sandbox came with
 * the base image; the rest ran in the last build.
 */
export function imagesSnapshot(scan: RawImageScan): ImagesSnapshot {
  const listed = asArray(scan.images).filter(isRecord);
  const stacks: ImageStack[] = [];
  for (const entry of listed.slice(0, MAX_LISTED_IMAGES)) {
    const stack = imageStack(entry, scan.details.get(stringOr(entry.Id, "")));
    if (stack) stacks.push(stack);
  }
  markShared(stacks);
  const now = Number.isFinite(scan.now) ? scan.now * 1000 : Date.now();
  const sandboxStartMs = scan.uptimeSeconds === undefined ? undefined : now - scan.uptimeSeconds * 1000;
  const lastBuild = findLastBuild(stacks, imageEvents(scan.events), buildCacheUses(scan.buildCache), sandboxStartMs);
  return {
    images: stacks,
    omitted: Math.max(0, listed.length - MAX_LISTED_IMAGES),
    ...(lastBuild ? { lastBuild } : {}),
    takenAt: new Date(now).toISOString(),
  };
}

function imageStack(
  entry: Record<string, unknown>,
  detail: { inspect?: unknown; history?: unknown; config?: unknown } | undefined,
): ImageStack | undefined {
  const id = stringOr(entry.Id, "");
  if (!id) return undefined;
  const inspect = isRecord(detail?.inspect) ? detail.inspect : {};
  const diffIds = asArray(isRecord(inspect.RootFS) ? inspect.RootFS.Layers : undefined).filter((layer) => typeof layer === "string");
  const all = historySteps(detail?.history, detail?.config);
  const steps = all.slice(-MAX_IMAGE_LAYERS);
  const layerIds = assignLayers(steps, diffIds);
  const exact = layerIds !== undefined && steps.length === all.length;
  const tags = asArray(entry.RepoTags).filter((tag): tag is string => typeof tag === "string" && tag !== "<none>:<none>");
  const createdMs = timeMs(inspect.Created) ?? numberOr(entry.Created, 0) * 1000;
  return {
    id,
    tags,
    createdAt: new Date(createdMs).toISOString(),
    size: numberOr(entry.Size, numberOr(inspect.Size, 0)),
    layers: steps.map((step, index) => {
      const layerId = exact ? layerIds[index] : undefined;
      return {
        instruction: step.instruction,
        size: step.size,
        createdAt: new Date(step.createdMs).toISOString(),
        ...(layerId ? { layerId } : {}),
      };
    }),
    ...(exact ? {} : { approximate: true }),
  };
}

/**
 * The image's steps, oldest first: the history API's sizes with, where the
 * image store's config is readable and agrees, its exact times and its word
 * on which steps made no layer.
 */
function historySteps(history: unknown, config: unknown): Step[] {
  const fromApi = asArray(history)
    .filter(isRecord)
    .reverse()
    .map((entry) => ({
      instruction: cleanInstruction(stringOr(entry.CreatedBy, ""), stringOr(entry.Comment, "")),
      size: Math.max(0, numberOr(entry.Size, 0)),
      createdMs: numberOr(entry.Created, 0) * 1000,
    }));
  const configHistory = asArray(isRecord(config) ? config.history : undefined).filter(isRecord);
  if (configHistory.length === fromApi.length && fromApi.length > 0) {
    return fromApi.map((step, index) => {
      const stored = configHistory[index] ?? {};
      return { ...step, createdMs: timeMs(stored.created) ?? step.createdMs, layered: stored.empty_layer !== true };
    });
  }
  return fromApi.map((step) => ({ ...step, layered: step.size > 0 || !isMetadataOnly(step.instruction) }));
}

/** Each step's layer identity (undefined for steps that made none), or undefined when steps and layers do not match up. */
function assignLayers(steps: Step[], diffIds: string[]): (string | undefined)[] | undefined {
  if (steps.filter((step) => step.layered).length !== diffIds.length) return undefined;
  const chain = chainIds(diffIds);
  let next = 0;
  return steps.map((step) => (step.layered ? chain[next++] : undefined));
}

/** Docker's ChainID: a layer's identity is its content together with everything under it. */
export function chainIds(diffIds: string[]): string[] {
  const chain: string[] = [];
  for (const diffId of diffIds) {
    const below = chain.at(-1);
    chain.push(below ? `sha256:${createHash("sha256").update(`${below} ${diffId}`).digest("hex")}` : diffId);
  }
  return chain;
}

function markShared(stacks: ImageStack[]): void {
  const holders = new Map<string, ImageStack[]>();
  for (const stack of stacks) {
    for (const layerId of new Set(stack.layers.map((layer) => layer.layerId))) {
      if (!layerId) continue;
      holders.set(layerId, [...(holders.get(layerId) ?? []), stack]);
    }
  }
  for (const stack of stacks) {
    for (const layer of stack.layers) {
      const others = (layer.layerId ? (holders.get(layer.layerId) ?? []) : []).filter((other) => other !== stack);
      // Named as `docker images` would show them: the first tag, else the short id.
      if (others.length > 0) layer.sharedWith = others.map((other) => other.tags[0] ?? other.id.replace(/^sha256:/, "").slice(0, 12));
    }
  }
}

function findLastBuild(
  stacks: ImageStack[],
  events: ImageEvent[],
  cacheUses: number[],
  sandboxStartMs: number | undefined,
): LastBuild | undefined {
  const released = Math.max(...cacheUses);
  const build = events
    .filter((event) => event.action === "tag" && event.timeMs <= released && event.timeMs >= released - NAMING_TO_RELEASE_MS)
    .at(-1);
  const image = build && stacks.find((stack) => stack.id === build.imageId);
  if (!build || !image) return undefined;
  const before = events.filter(
    (event) =>
      event.timeMs < build.timeMs &&
      !(event.action === "tag" && event.imageId === build.imageId && build.timeMs - event.timeMs < SAME_BUILD_MS),
  );
  const previousEventMs = before.at(-1)?.timeMs;
  let cachedSteps = 0;
  for (const layer of image.layers) {
    const origin = originOf(layer, sandboxStartMs, previousEventMs);
    if (!origin) continue;
    layer.origin = origin;
    if (origin === "cached") cachedSteps++;
  }
  return { imageId: image.id, ...(build.name ? { tag: build.name } : {}), finishedAt: new Date(build.timeMs).toISOString(), cachedSteps };
}

function originOf(layer: ImageLayer, sandboxStartMs: number | undefined, previousEventMs: number | undefined): LayerOrigin | undefined {
  const created = Date.parse(layer.createdAt);
  if (sandboxStartMs !== undefined && created < sandboxStartMs) return "base";
  // Metadata-only steps never run: BuildKit prints neither CACHED nor a step for them.
  if (!layer.layerId && layer.size === 0) return undefined;
  return previousEventMs !== undefined && created <= previousEventMs ? "cached" : "built";
}

function imageEvents(events: unknown[]): ImageEvent[] {
  const parsed: ImageEvent[] = [];
  for (const event of events) {
    if (!isRecord(event)) continue;
    const actor = isRecord(event.Actor) ? event.Actor : {};
    const timeNano = numberOr(event.timeNano, numberOr(event.time, 0) * 1e9);
    const name = isRecord(actor.Attributes) ? actor.Attributes.name : undefined;
    parsed.push({
      action: stringOr(event.Action, stringOr(event.status, "")),
      imageId: stringOr(actor.ID, stringOr(event.id, "")),
      ...(typeof name === "string" ? { name } : {}),
      timeMs: timeNano / 1e6,
    });
  }
  return parsed.sort((a, b) => a.timeMs - b.timeMs);
}

function buildCacheUses(df: unknown): number[] {
  const records = asArray(isRecord(df) ? df.BuildCache : undefined).filter(isRecord);
  return records.map((record) => timeMs(record.LastUsedAt)).filter((time): time is number => time !== undefined);
}

const METADATA_INSTRUCTIONS =
  /^(ENV|CMD|ENTRYPOINT|LABEL|EXPOSE|USER|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL|MAINTAINER|VOLUME|WORKDIR)\b/i;

function isMetadataOnly(instruction: string): boolean {
  return METADATA_INSTRUCTIONS.test(instruction);
}

/**
 * The instruction a learner wrote, from what the history recorded: BuildKit's
 * `RUN /bin/sh -c … # buildkit`, the legacy builder's `/bin/sh -c #(nop)  CMD …`
 * and `|1 ARG=… /bin/sh -c …`. An imported filesystem records none: its comment says what it is.
 */
export function cleanInstruction(createdBy: string, comment: string): string {
  let text = createdBy.trim().replace(/\s+# buildkit$/, "");
  if (!text) {
    if (/^Imported from\b/.test(comment)) return "(a whole filesystem, added by docker import)";
    return comment.trim() ? `(${comment.trim()})` : "(no instruction recorded)";
  }
  const legacy = /^(?:\|\d+(?: \S+=\S*)* )?\/bin\/sh -c (#\(nop\)\s*)?([\s\S]*)$/.exec(text);
  if (legacy) {
    const body = (legacy[2] ?? "").trim();
    text = legacy[1] ? body : `RUN ${body}`;
  }
  return text.replace(/^RUN \/bin\/sh -c /, "RUN ").replace(/^RUN \|\d+(?: \S+=\S*)* \/bin\/sh -c /, "RUN ");
}

function timeMs(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
