export * from "./checks";
export * from "./docker-in-docker-driver";
export * from "./driver";
export * from "./errors";
export type { ExecOptions, ExecResult } from "./exec";
export { LABEL, sandboxFilter } from "./labels";
