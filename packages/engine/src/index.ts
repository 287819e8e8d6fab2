export * from "./docker-in-docker-driver";
export * from "./driver";
export * from "./errors";
export { LABEL, sandboxFilter } from "./labels";
