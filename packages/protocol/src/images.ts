import type { Ack } from "./result";

/**
 * The learner's images in their sandbox's own engine, as stacks of layers,
 * for the lesson page's Images panel. Loaded by the browser too: types only
 * (the request schema is in images-schemas.ts).
 */
export interface ImagesSnapshot {
  /** Newest first (by when each was created or last tagged). */
  images: ImageStack[];
  /** Images beyond the engine's cap (60) that were left out (the panel says so). */
  omitted: number;
  /** The newest build the engine reports, when one of its images is still there. */
  lastBuild?: LastBuild;
  /** When the sandbox answered (ISO 8601). */
  takenAt: string;
}

export interface ImageStack {
  /** The full image id, `sha256:…`. */
  id: string;
  /** `repository:tag` names; empty for an untagged (dangling) image. */
  tags: string[];
  /** ISO 8601. */
  createdAt: string;
  /** Bytes on disk, shared layers included (as `docker images` shows it). */
  size: number;
  /** Base first, the newest step last. */
  layers: ImageLayer[];
  /**
   * The history could not be matched to the layers exactly (or was longer
   * than the engine's cap, 200 steps, of which the newest are kept); sharing
   * is then not shown for this image.
   */
  approximate?: true;
}

/** Where a layer of the last build came from. */
export type LayerOrigin =
  /** Run by the last build. */
  | "built"
  /** Reused from the build cache: BuildKit printed CACHED for it. */
  | "cached"
  /** Part of the image named in FROM. */
  | "base";

export interface ImageLayer {
  /** The Dockerfile instruction as the history records it, cleaned of BuildKit's and the legacy builder's markers. */
  instruction: string;
  /** Bytes the step added (0 for metadata-only steps). */
  size: number;
  /** ISO 8601, when the step ran (a cached step keeps the time it first ran). */
  createdAt: string;
  /**
   * Identity of the filesystem layer: the chain of diff ids up to it, as
   * Docker stores it (two images share a layer exactly when they share this).
   * Absent for metadata-only steps (ENV, CMD, …), which make no layer.
   */
  layerId?: string;
  /** Names (or short ids) of the other images that contain this same layer. */
  sharedWith?: string[];
  /** Only in the last build's image. */
  origin?: LayerOrigin;
}

export interface LastBuild {
  imageId: string;
  /** The name the build gave its image (`docker build -t`), as the engine reported it. */
  tag?: string;
  /** ISO 8601: when the build named its image. */
  finishedAt: string;
  /** How many of its steps that made a layer came from the cache. */
  cachedSteps: number;
}

/** Requests carry no parameters yet; an object leaves room for some. */
export type ImagesRequest = Record<string, never>;

export interface ImagesClientEvents {
  /** The images now. */
  "images:list": (request: ImagesRequest, ack: Ack<ImagesSnapshot>) => void;
  /** The images now, then `images:changed` after every build, pull, tag, push or removal until `images:unwatch` or disconnect. */
  "images:watch": (request: ImagesRequest, ack: Ack<ImagesSnapshot>) => void;
  "images:unwatch": (request: ImagesRequest, ack: Ack<null>) => void;
}

export interface ImagesServerEvents {
  "images:changed": (snapshot: ImagesSnapshot) => void;
}

/** A short id as `docker images` prints it: 12 hex digits without the algorithm. */
export function shortImageId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

/** How an image is named to a learner: its first tag, else its short id. */
export function imageName(image: Pick<ImageStack, "id" | "tags">): string {
  return image.tags[0] ?? shortImageId(image.id);
}
