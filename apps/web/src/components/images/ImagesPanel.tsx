"use client";

import { type ImageLayer, type ImageStack, type ImagesSnapshot, imageName, type LayerOrigin, shortImageId } from "@drydock/protocol";
import { type CSSProperties, useEffect, useMemo, useState } from "react";
import type { SandboxChannel } from "../lesson/sandbox-channel";
import { age, formatSize, layerHeightRem, layerHue } from "./layer-format";
import { useImages } from "./use-images";
import "./images.css";

const ORIGIN_LABEL: Record<LayerOrigin, string> = { cached: "CACHED", built: "built", base: "from base" };
const ORIGIN_MEANING: Record<LayerOrigin, string> = {
  cached: "reused from the build cache: this step did not run again",
  built: "ran in the last build",
  base: "came with the base image named in FROM",
};

/** The Images panel: the sandbox's images as stacks of layers, live. */
export function ImagesPanel({ channel }: { channel: SandboxChannel }) {
  const { state, retry } = useImages(channel);
  if (state.kind === "loading") return <p className="pane-message">Reading your images…</p>;
  if (state.kind === "failed") {
    return (
      <div className="images-panel">
        <p className="error" role="alert">
          Your images could not be read: {state.error} {state.hint}
        </p>
        <button type="button" onClick={retry}>
          Try again
        </button>
      </div>
    );
  }
  return <ImagesView snapshot={state.snapshot} />;
}

interface Selection {
  imageId: string;
  index: number;
}

export function ImagesView({ snapshot }: { snapshot: ImagesSnapshot }) {
  // The layer under the pointer or keyboard focus: its copies in other images light up.
  const [pointed, setPointed] = useState<string | undefined>();
  const [selected, setSelected] = useState<Selection | undefined>();
  // Never before the snapshot: a layer built a moment ago is "just now", whatever the clock's last tick said.
  const now = Math.max(useNow(), Date.parse(snapshot.takenAt) || 0);
  const { images, lastBuild, omitted } = snapshot;
  const lastImage = lastBuild && images.find((image) => image.id === lastBuild.imageId);
  const chosen = selected && images.find((image) => image.id === selected.imageId);
  const chosenLayer = chosen?.layers[selected?.index ?? -1];

  // A selection whose image or layer went away (removed, rebuilt) is dropped.
  useEffect(() => {
    if (selected && !chosenLayer) setSelected(undefined);
  }, [selected, chosenLayer]);

  const summary = useMemo(() => describeSnapshot(snapshot, lastImage), [snapshot, lastImage]);

  if (images.length === 0) {
    return (
      <div className="images-panel">
        <p className="images-empty" aria-live="polite">
          No images yet — build one with <code>docker build</code>
        </p>
      </div>
    );
  }

  return (
    <div className="images-panel">
      <div className="images-summary">
        <p aria-live="polite">{summary}</p>
        <Legend />
      </div>
      <ul className="image-stacks" aria-label="Your images, each a stack of layers (base at the bottom)">
        {images.map((image) => (
          <StackColumn
            key={image.id}
            image={image}
            isLastBuild={image.id === lastImage?.id}
            pointed={pointed}
            selected={selected?.imageId === image.id ? selected.index : undefined}
            onPoint={setPointed}
            onSelect={(index) =>
              setSelected(selected?.imageId === image.id && selected.index === index ? undefined : { imageId: image.id, index })
            }
            now={now}
          />
        ))}
        {omitted > 0 && <li className="images-omitted">and {omitted} more images, not drawn</li>}
      </ul>
      {chosen && chosenLayer ? (
        <LayerDetails image={chosen} layer={chosenLayer} now={now} />
      ) : (
        <p className="images-hint">Select a layer to see its whole instruction and where else it is used.</p>
      )}
    </div>
  );
}

function StackColumn({
  image,
  isLastBuild,
  pointed,
  selected,
  onPoint,
  onSelect,
  now,
}: {
  image: ImageStack;
  isLastBuild: boolean;
  pointed: string | undefined;
  selected: number | undefined;
  onPoint: (layerId: string | undefined) => void;
  onSelect: (index: number) => void;
  now: number;
}) {
  const name = imageName(image);
  const headingId = `image-${shortImageId(image.id)}`;
  return (
    <li
      className={isLastBuild ? "image-stack last-build" : "image-stack"}
      aria-labelledby={headingId}
      data-tags={image.tags.join(" ") || shortImageId(image.id)}
    >
      <ol className="layers" aria-label={`Layers of ${name}, base first`}>
        {image.layers.map((layer, index) => (
          <LayerBlock
            // Layers of one image keep their place; the index is their identity within it.
            // biome-ignore lint/suspicious/noArrayIndexKey: a step's position in its image is what identifies it.
            key={index}
            layer={layer}
            position={index + 1}
            count={image.layers.length}
            linked={layer.layerId !== undefined && layer.layerId === pointed}
            selected={selected === index}
            onPoint={onPoint}
            onSelect={() => onSelect(index)}
          />
        ))}
      </ol>
      <div className="image-heading">
        <h3 id={headingId} title={image.id}>
          {image.tags.length > 0 ? image.tags.join(", ") : <span className="dangling">untagged {shortImageId(image.id)}</span>}
        </h3>
        <p className="image-meta">
          {isLastBuild && <span className="chip last-build-chip">last build</span>}
          {formatSize(image.size)} · {image.layers.filter((layer) => layer.layerId || layer.size > 0).length} layers ·{" "}
          {age(image.createdAt, now)}
        </p>
        {image.approximate && <p className="image-meta">Layers drawn approximately: its history could not be matched to its layers.</p>}
      </div>
    </li>
  );
}

function LayerBlock({
  layer,
  position,
  count,
  linked,
  selected,
  onPoint,
  onSelect,
}: {
  layer: ImageLayer;
  position: number;
  count: number;
  linked: boolean;
  selected: boolean;
  onPoint: (layerId: string | undefined) => void;
  onSelect: () => void;
}) {
  const makesLayer = layer.layerId !== undefined || layer.size > 0;
  const shared = layer.sharedWith && layer.sharedWith.length > 0;
  const classes = [
    "layer",
    makesLayer ? "" : "metadata",
    shared ? "shared" : "",
    layer.origin ?? "",
    linked ? "linked" : "",
    selected ? "selected" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const style = {
    ...(shared && layer.layerId ? { "--layer-hue": layerHue(layer.layerId) } : {}),
    ...(makesLayer ? { minHeight: `${layerHeightRem(layer.size)}rem` } : {}),
  } as CSSProperties;
  const label = [
    `Step ${position} of ${count}: ${layer.instruction}`,
    makesLayer ? formatSize(layer.size) : "no layer (metadata only)",
    layer.origin ? ORIGIN_MEANING[layer.origin] : "",
    shared ? `shared with ${layer.sharedWith?.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  return (
    <li className="layer-slot">
      <button
        type="button"
        className={classes}
        style={style}
        title={layer.instruction}
        aria-label={label}
        aria-pressed={selected}
        data-layer={layer.layerId}
        onMouseEnter={() => onPoint(layer.layerId)}
        onMouseLeave={() => onPoint(undefined)}
        onFocus={() => onPoint(layer.layerId)}
        onBlur={() => onPoint(undefined)}
        onClick={onSelect}
      >
        <span className="layer-instruction">{layer.instruction}</span>
        <span className="layer-facts">
          {layer.origin && <span className={`chip origin-${layer.origin}`}>{ORIGIN_LABEL[layer.origin]}</span>}
          {shared && (
            <span className="chip shared-chip" title={`Also in ${layer.sharedWith?.join(", ")}`}>
              <LinkIcon />
              shared ×{(layer.sharedWith?.length ?? 0) + 1}
            </span>
          )}
          <span className="layer-size">{makesLayer ? formatSize(layer.size) : "no layer"}</span>
        </span>
      </button>
    </li>
  );
}

function LayerDetails({ image, layer, now }: { image: ImageStack; layer: ImageLayer; now: number }) {
  const makesLayer = layer.layerId !== undefined || layer.size > 0;
  return (
    <section className="layer-details" aria-label="The selected layer">
      <pre>{layer.instruction}</pre>
      <dl>
        <dt>Image</dt>
        <dd>{imageName(image)}</dd>
        <dt>Size</dt>
        <dd>{makesLayer ? formatSize(layer.size) : "none: this step only changes the image's settings, so it makes no layer"}</dd>
        <dt>Made</dt>
        <dd>
          {age(layer.createdAt, now)} <span className="muted">({new Date(layer.createdAt).toLocaleString()})</span>
        </dd>
        {layer.origin && (
          <>
            <dt>Last build</dt>
            <dd>{ORIGIN_MEANING[layer.origin]}</dd>
          </>
        )}
        <dt>Shared</dt>
        <dd>
          {layer.sharedWith?.length
            ? `the same layer is in ${layer.sharedWith.join(", ")}: stored once on disk, used by each`
            : makesLayer
              ? "no other image here uses this layer"
              : "—"}
        </dd>
      </dl>
    </section>
  );
}

/** Two chain links: drawn, not a glyph, since not every font has one. */
function LinkIcon() {
  return (
    <svg className="link-icon" viewBox="0 0 16 16" width="10" height="10" aria-hidden="true" focusable="false">
      <rect x="1" y="5" width="8" height="6" rx="3" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <rect x="7" y="5" width="8" height="6" rx="3" fill="none" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}

function Legend() {
  return (
    <ul className="images-legend" aria-label="Legend">
      <li>
        <span className="chip origin-cached">CACHED</span> reused from the cache
      </li>
      <li>
        <span className="chip origin-built">built</span> ran in the last build
      </li>
      <li>
        <span className="chip shared-chip">
          <LinkIcon />
          shared
        </span>{" "}
        same layer, same colour, in several images
      </li>
      <li>
        <span className="legend-metadata">dashed</span> settings only, no layer
      </li>
    </ul>
  );
}

function describeSnapshot(snapshot: ImagesSnapshot, lastImage: ImageStack | undefined): string {
  const images = plural(snapshot.images.length + snapshot.omitted, "image");
  if (!snapshot.lastBuild || !lastImage) return `${images}.`;
  const built = lastImage.layers.filter((layer) => layer.origin === "built" || layer.origin === "cached").length;
  const name = snapshot.lastBuild.tag ?? imageName(lastImage);
  return `${images}. Last build: ${name}, ${snapshot.lastBuild.cachedSteps} of ${built} steps from the cache.`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The time, refreshed every half minute, for "made 5 minutes ago". */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
