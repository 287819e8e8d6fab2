export * from "./http-relay";
export * from "./log";
export * from "./token";
