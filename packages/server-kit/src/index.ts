export * from "./http-relay";
export * from "./http2-liveness";
export * from "./log";
export * from "./token";
export * from "./unhandled-rejections";
