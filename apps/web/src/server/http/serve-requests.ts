import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { WebContext } from "../context";
import { answerHealth, isHealthProbe } from "../nodes/health";
import { refusalAtTheDoor, sendRefusal } from "./door";

/**
 * Drydock's own HTTP requests, in order: socket.io's are left to it, the
 * balancer's health probe is answered at once, then the door may refuse
 * (door.ts), and `handle` (Next) serves the rest. Preview hosts never get
 * here (preview-server.ts takes them first).
 */
export function serveRequests(http: Server, ctx: WebContext, handle: (req: IncomingMessage, res: ServerResponse) => unknown): void {
  http.on("request", (req, res) => {
    if (req.url?.startsWith("/socket.io/")) return;
    if (isHealthProbe(req)) return void answerHealth(res, ctx);
    void refusalAtTheDoor(req, ctx).then(
      (refusal) => (refusal ? sendRefusal(res, refusal) : handle(req, res)),
      (error: unknown) => {
        // The door's limits never fail (they fall back to this node's memory); were one to, the request is served.
        ctx.log.error("web.door_failed", { url: req.url, error });
        return handle(req, res);
      },
    );
  });
}
