export { diffPorts } from "./diff";
export { PORT_SCAN_SCRIPT, parsePortScan } from "./scan";
export type { ListeningPort, PortEndpoint, PortsChange, PublishingContainer } from "./types";
export { PortPolling, type PortsWatcher } from "./watch";
