import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PREVIEW_TOKEN_HEADER } from "@drydock/protocol";
import { createLogger, verifyToken } from "@drydock/server-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type PreviewSession, servePreviewGateway } from "./preview-gateway";
import { GRANT_PATH, mintGrant, PREVIEW_COOKIE } from "./preview-grant";
import { previewHostname } from "./preview-host";

const secret = "gateway-test-secret-".padEnd(48, "g");
const domain = "preview.localhost";
const sessionId = "ses_00112233445566778899aabb";
const sandboxId = "sbx_0011223344556677";
const host = previewHostname({ sessionId, port: 8888 }, domain);

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

let agent: Server;
let web: Server;
let webPort: number;
let seen: Seen[];
let sessions: Map<string, PreviewSession>;

/** A stand-in for the agent: answers plain requests with what it saw, and upgrades with a byte echo. */
function startFakeAgent(): Promise<string> {
  agent = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "text/plain", "set-cookie": ["app=1", "other=2"] }).end("from the app");
  });
  agent.on("upgrade", (req, socket) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    socket.pipe(socket);
  });
  return new Promise((resolve) => agent.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(agent.address() as AddressInfo).port}`)));
}

async function send(path: string, headers: Record<string, string> = {}, hostHeader = `${host}:${webPort}`) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: webPort, path, headers: { host: hostHeader, ...headers } }, (res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Trades a fresh grant for the preview cookie, as the browser does after the main origin's redirect. */
async function previewCookie(): Promise<string> {
  const grant = await mintGrant(secret, host);
  const query = new URLSearchParams({ token: grant.token, nonce: grant.nonce, path: "/" });
  const response = await send(`${GRANT_PATH}?${query}`);
  const [cookie] = (response.headers["set-cookie"] ?? [""])[0]?.split(";") ?? [];
  return cookie ?? "";
}

function upgrade(headers: Record<string, string>): Promise<{ status: number; echoed?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port: webPort,
      path: "/ws",
      headers: { host: `${host}:${webPort}`, connection: "Upgrade", upgrade: "websocket", ...headers },
    });
    req.on("upgrade", (res, socket) => {
      socket.once("data", (data: Buffer) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, echoed: data.toString() });
      });
      socket.write("ping");
    });
    req.on("response", (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  seen = [];
  const agentUrl = await startFakeAgent();
  sessions = new Map();
  web = createServer((_req, res) => res.writeHead(200).end("drydock page"));
  servePreviewGateway(web, {
    secret,
    domain,
    log: createLogger("test", () => {}),
    route: (url) => ({ url }),
    findSession: async (id) => sessions.get(id) ?? null,
  });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  webPort = (web.address() as AddressInfo).port;
  sessions.set(sessionId, { state: "ready", sandboxId, agentUrl });
});

beforeEach(() => {
  seen.length = 0;
});

afterAll(() => {
  web?.close();
  agent?.close();
});

describe("the preview gateway", () => {
  it("leaves Drydock's own hosts to Drydock", async () => {
    expect(await send("/", {}, `127.0.0.1:${webPort}`)).toMatchObject({ status: 200, body: "drydock page" });
  });

  it("refuses a browser without the preview cookie, and says what to do", async () => {
    const response = await send("/");
    expect(response.status).toBe(403);
    expect(response.body).toContain("Only the browser that started this sandbox");
    expect(seen).toEqual([]);
  });

  it("trades a grant once for a host-only, httpOnly cookie and sends the browser on to its path", async () => {
    const grant = await mintGrant(secret, host);
    const query = new URLSearchParams({ token: grant.token, nonce: grant.nonce, path: "/app?x=1" });
    const traded = await send(`${GRANT_PATH}?${query}`);
    expect(traded.status).toBe(303);
    expect(traded.headers.location).toBe("/app?x=1");
    expect(traded.headers["set-cookie"]?.[0]).toMatch(new RegExp(`^${PREVIEW_COOKIE}=[^;]+; Path=/; HttpOnly; SameSite=Lax`));
    expect(traded.headers["set-cookie"]?.[0]).not.toMatch(/Domain/i);
    expect((await send(`${GRANT_PATH}?${query}`)).status).toBe(403);
  });

  it("refuses a grant that would send the browser to another host", async () => {
    const grant = await mintGrant(secret, host);
    const query = new URLSearchParams({ token: grant.token, nonce: grant.nonce, path: "//evil.example/" });
    expect((await send(`${GRANT_PATH}?${query}`)).status).toBe(403);
  });

  it("relays the owner's requests to the agent with a token for the sandbox, without Drydock's cookie", async () => {
    const cookie = await previewCookie();
    const response = await send("/app/page?q=1", { cookie: `theme=dark; ${cookie}` });
    expect(response).toMatchObject({ status: 200, body: "from the app" });
    expect(response.headers["set-cookie"]).toEqual(["app=1", "other=2"]);
    const [request] = seen;
    expect(request?.url).toBe(`/v1/sandboxes/${sandboxId}/ports/8888/http/app/page?q=1`);
    expect(request?.headers.cookie).toBe("theme=dark");
    expect(request?.headers["x-forwarded-host"]).toBe(`${host}:${webPort}`);
    expect((await verifyToken(secret, request?.headers[PREVIEW_TOKEN_HEADER], { sandboxId, needs: "read" })).ok).toBe(true);
  });

  it("does not let a cookie for one port open another", async () => {
    const cookie = await previewCookie();
    const otherPort = previewHostname({ sessionId, port: 9999 }, domain);
    expect((await send("/", { cookie }, `${otherPort}:${webPort}`)).status).toBe(403);
  });

  it("relays the owner's WebSocket upgrades and refuses others'", async () => {
    const cookie = await previewCookie();
    expect(await upgrade({ cookie })).toEqual({ status: 101, echoed: "ping" });
    expect(seen[0]?.url).toBe(`/v1/sandboxes/${sandboxId}/ports/8888/http/ws`);
    expect(await upgrade({})).toEqual({ status: 403 });
  });

  it("answers for ended sessions, unknown hosts and an unreachable agent", async () => {
    const cookie = await previewCookie();
    expect((await send("/", { cookie }, `junk.${domain}`)).status).toBe(404);

    sessions.set(sessionId, { state: "gone", sandboxId, agentUrl: "http://127.0.0.1:1" });
    expect((await send("/", { cookie })).body).toContain("This sandbox has ended");

    sessions.set(sessionId, { state: "ready", sandboxId, agentUrl: "http://127.0.0.1:1" });
    const unreachable = await send("/", { cookie });
    expect(unreachable.status).toBe(502);
    expect(unreachable.body).toContain("could not reach the machine that runs your sandbox");
    sessions.set(sessionId, { state: "ready", sandboxId, agentUrl: `http://127.0.0.1:${(agent.address() as AddressInfo).port}` });
  });
});
