import type Docker from "dockerode";
import type { DockerInDockerOptions } from "../docker-in-docker-driver";

/** A driver's options for tests that need a plain sandbox on a test network: 512 MiB, one CPU, the provisioned image. */
export function smallSandboxOptions(docker: Docker, fleet: string, network: string): DockerInDockerOptions {
  return {
    docker,
    fleet,
    image: process.env.SANDBOX_IMAGE ?? "drydock/sandbox:latest",
    network,
    memoryBytes: 512 * 1024 * 1024,
    nanoCpus: 1e9,
    pidsLimit: 512,
  };
}
