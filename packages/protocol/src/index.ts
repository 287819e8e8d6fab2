export * from "./log";
export * from "./sandbox-api";
export * from "./terminal";
export * from "./terminal-schemas";
export * from "./token";
