export * from "./registry-relay";
export * from "./small-sandboxes";
export * from "./test-network";
