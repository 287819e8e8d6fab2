import { describe, expect, it } from "vitest";
import { isDockerfile, languageForPath } from "./dockerfile-files";

describe("isDockerfile", () => {
  it.each(["Dockerfile", "dockerfile", "Containerfile", "Dockerfile.dev", "web.Dockerfile", "api/Dockerfile", "deploy/prod.dockerfile"])(
    "takes %s for a Dockerfile",
    (path) => expect(isDockerfile(path)).toBe(true),
  );

  it.each([
    "index.js",
    "Dockerfiles/readme.md",
    "MyDockerfile",
    "Dockerfile/notes.txt",
    "docker-compose.yml",
    ".dockerignore",
    "Dockerfile.",
  ])("does not take %s for one", (path) => expect(isDockerfile(path)).toBe(false));
});

describe("languageForPath", () => {
  it("names the dockerfile language for Dockerfiles and leaves other files to Monaco", () => {
    expect(languageForPath("Dockerfile.dev")).toBe("dockerfile");
    expect(languageForPath("app.py")).toBeUndefined();
  });
});
