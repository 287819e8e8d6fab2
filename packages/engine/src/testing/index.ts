export * from "./registry-relay";
export * from "./test-network";
