/**
 * Which files get the Dockerfile language service: the names Docker and
 * Podman build from (`Dockerfile`, `Containerfile`) and the usual variants
 * (`Dockerfile.dev`, `web.Dockerfile`), in any letter case, in any folder.
 */
const DOCKERFILE_NAMES = [/^(dockerfile|containerfile)$/i, /^dockerfile\..+$/i, /^.+\.dockerfile$/i];

export const DOCKERFILE_LANGUAGE = "dockerfile";

export function isDockerfile(path: string): boolean {
  const name = path.split("/").pop() ?? "";
  return DOCKERFILE_NAMES.some((pattern) => pattern.test(name));
}

/** The Monaco language for a workspace file: Dockerfiles by name; undefined lets Monaco infer the rest from the extension. */
export function languageForPath(path: string): string | undefined {
  return isDockerfile(path) ? DOCKERFILE_LANGUAGE : undefined;
}
