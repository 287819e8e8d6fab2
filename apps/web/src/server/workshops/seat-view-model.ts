import type { WebContext } from "../context";

/** What a page needs to show the room around a seated attendee; null for a visitor with no seat (or a prepared one). */
export async function seatView(ctx: WebContext, visitorId: string): Promise<{ workshopId: string; title: string } | null> {
  const seat = await ctx.db.seat.findUnique({ where: { visitorId }, include: { workshop: { select: { id: true, title: true } } } });
  return seat?.name ? { workshopId: seat.workshop.id, title: seat.workshop.title } : null;
}
