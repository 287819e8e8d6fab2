import type { WebContext } from "../context";
import { HttpError } from "../http/http-error";
import type { WorkshopRecord } from "./workshop-records";

/** Opening (joins allowed) and starting (the radar runs) from the dashboard; ending is endRoom's. */
export async function changeRoomState(ctx: WebContext, workshop: WorkshopRecord, state: "open" | "running"): Promise<void> {
  if (workshop.state === "ended") throw new HttpError("The workshop has ended; make a new one to run it again.", 409);
  if (workshop.state === "running" && state === "open") throw new HttpError("The workshop is already running.", 409);
  await ctx.db.workshop.update({ where: { id: workshop.id }, data: { state } });
  ctx.rooms.workshopChanged(workshop.id);
}
