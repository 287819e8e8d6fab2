import { removeFleet } from "@drydock/engine";
import { E2E_FLEET } from "./playwright.config";

/** The e2e agent leaves its sandboxes (and its warm pool) running by design; the suite removes them. */
export default async function removeE2eSandboxes(): Promise<void> {
  await removeFleet(E2E_FLEET);
}
