/** An engine failure a person can act on: what happened, and what to do about it. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly code: EngineErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EngineError";
  }
}

export type EngineErrorCode =
  | "docker-unreachable"
  | "image-missing"
  | "network-missing"
  | "sandbox-not-found"
  | "sandbox-not-ready"
  | "sandbox-paused"
  | "sandbox-failed"
  | "bad-request"
  | "path-refused"
  | "file-not-found"
  | "file-exists"
  | "file-wrong-type"
  | "file-too-large"
  | "file-conflict";

interface DockerApiError {
  statusCode?: number;
  code?: string;
  message?: string;
}

function asDockerError(error: unknown): DockerApiError {
  return typeof error === "object" && error !== null ? (error as DockerApiError) : {};
}

export function isNotFound(error: unknown): boolean {
  return asDockerError(error).statusCode === 404;
}

/** Turns the Docker API's low-level failures into errors that say what to do. */
export function explainDockerError(error: unknown, context: { image?: string; network?: string }): Error {
  const dockerError = asDockerError(error);
  const text = dockerError.message ?? String(error);
  if (dockerError.code === "ENOENT" || dockerError.code === "ECONNREFUSED" || dockerError.code === "EACCES") {
    return new EngineError(
      `Cannot reach the Docker engine (${dockerError.code}).`,
      "Start it with `npm run provision` (it starts dockerd), or point DOCKER_HOST at a running engine.",
      "docker-unreachable",
      { cause: error },
    );
  }
  if (dockerError.statusCode === 404 && context.image && /image/i.test(text)) {
    return new EngineError(
      `The sandbox image ${context.image} is not on this host.`,
      "Build it with `npm run provision`.",
      "image-missing",
      { cause: error },
    );
  }
  if (dockerError.statusCode === 404 && context.network && /network/i.test(text)) {
    return new EngineError(
      `The sandbox network ${context.network} does not exist.`,
      "Create it with `npm run provision`.",
      "network-missing",
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(text);
}
