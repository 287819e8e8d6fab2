export * from "./registry-relay";
export * from "./small-sandboxes";
export * from "./stuck-freezer";
export * from "./test-network";
export * from "./typed-command";
