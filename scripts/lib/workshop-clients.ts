/**
 * The two sides of a workshop room as the pages are, for benchmarks: an
 * instructor's dashboard socket (socket.io to /workshop with the instructor's
 * cookie, every byte it receives counted) and an attendee who joins by code
 * (HTTP, keeping the cookies the answers set), starts the lesson's session
 * when the seat was not prepared (the ndjson stream the page reads), opens
 * the terminal until the prompt, and runs checks over the sandbox channel.
 */
import {
  type AttendeeState,
  type CheckOutcome,
  type DashboardSnapshot,
  type InstructorClientEvents,
  type InstructorServerEvents,
  type Reply,
  SANDBOX_NAMESPACE,
  type SandboxClientEvents,
  type SandboxServerEvents,
  type SeatMeter,
  type SeatRow,
  TERMINAL_NAMESPACE,
  type TerminalClientEvents,
  type TerminalServerEvents,
  WORKSHOP_NAMESPACE,
} from "@drydock/protocol";
import { io, type Socket } from "socket.io-client";

/** A connection of its own each (socket.io-client shares one per host otherwise, with the first one's cookie). */
const SOCKET_OPTIONS = { transports: ["websocket"], reconnection: false, forceNew: true };
/** The shell's prompt (root@sandbox:…#): the terminal is ready for keystrokes. */
const PROMPT = "root@sandbox";
const PROMPT_TIMEOUT_MS = 300_000;

export function withTimeout<T>(promise: Promise<T>, what: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface InstructorDashboard {
  meter: SeatMeter | undefined;
  /** Bytes of every websocket frame's payload received so far. */
  bytesReceived(): number;
  /** When (performance.now()) a row of the seat first showed the step passed. */
  passedAt(seatId: string, stepKey: string): number | undefined;
  /** Resolves once the condition holds on the latest meter. */
  meterReaches(what: string, condition: (meter: SeatMeter) => boolean, timeoutMs: number): Promise<SeatMeter>;
  emit<E extends keyof InstructorClientEvents>(event: E, ...args: Parameters<InstructorClientEvents[E]>): void;
  close(): void;
}

/** The dashboard of an instructor signed in with `token`, once its snapshot has arrived. */
export async function openDashboard(base: string, workshopId: string, token: string): Promise<InstructorDashboard> {
  const socket: Socket<InstructorServerEvents, InstructorClientEvents> = io(`${base}${WORKSHOP_NAMESPACE}`, {
    ...SOCKET_OPTIONS,
    auth: { workshopId },
    extraHeaders: { cookie: `drydock_instructor=${token}`, origin: base },
  });
  let bytes = 0;
  // A websocket frame of engine.io carries one packet: its type's character then its data, or binary data alone.
  socket.io.on("open", () =>
    socket.io.engine.on("packet", (packet: { data?: unknown }) => {
      const { data } = packet;
      bytes +=
        typeof data === "string" ? 1 + Buffer.byteLength(data) : data instanceof ArrayBuffer || Buffer.isBuffer(data) ? data.byteLength : 1;
    }),
  );
  const passed = new Map<string, number>();
  const meterWaiters = new Set<() => void>();
  const dashboard: InstructorDashboard = {
    meter: undefined,
    bytesReceived: () => bytes,
    passedAt: (seatId, stepKey) => passed.get(`${seatId} ${stepKey}`),
    meterReaches(what, condition, timeoutMs) {
      return withTimeout(
        new Promise<SeatMeter>((resolve) => {
          const test = () => {
            if (dashboard.meter && condition(dashboard.meter)) {
              meterWaiters.delete(test);
              resolve(dashboard.meter);
            }
          };
          meterWaiters.add(test);
          test();
        }),
        what,
        timeoutMs,
      );
    },
    emit: (event, ...args) => socket.emit(event, ...args),
    close: () => socket.close(),
  };
  const meterSeen = (meter: SeatMeter) => {
    dashboard.meter = meter;
    for (const test of [...meterWaiters]) test();
  };
  const rowsSeen = (rows: SeatRow[]) => {
    const now = performance.now();
    for (const row of rows) {
      for (const [key, cell] of Object.entries(row.cells)) {
        if (cell.state === "passed" && !passed.has(`${row.id} ${key}`)) passed.set(`${row.id} ${key}`, now);
      }
    }
  };
  socket.on("dashboard:meter", meterSeen);
  socket.on("dashboard:seats", rowsSeen);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once("dashboard:snapshot", (snapshot: DashboardSnapshot) => {
        meterSeen(snapshot.meter);
        rowsSeen(snapshot.seats);
        resolve();
      });
      socket.once("connect_error", (error) => reject(new Error(`The instructor's dashboard was refused: ${error.message}`)));
    }),
    "the dashboard's snapshot",
    60_000,
  );
  return dashboard;
}

/** Cookies as a browser keeps them: each Set-Cookie replaces the one of its name. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

interface JoinAnswer {
  seatId: string;
  workshop: { id: string; firstLessonId: string | null };
  session: { id: string } | null;
  error?: string;
}

export class Attendee {
  private readonly jar = new CookieJar();
  private terminal: Socket<TerminalServerEvents, TerminalClientEvents> | undefined;
  private channel: Socket<SandboxServerEvents, SandboxClientEvents> | undefined;
  private room: Socket | undefined;
  seatId = "";
  sessionId = "";
  /** Whether the join answered with a prepared seat's ready session. */
  prepared = false;
  /** When (performance.now()) each room message first reached this attendee's room socket, by its text. */
  private readonly banners = new Map<string, number>();
  private readonly stateWaiters = new Set<() => void>();
  private statesSeen = 0;

  constructor(
    private readonly base: string,
    readonly name: string,
  ) {}

  private async post(path: string, body: unknown, accept = "application/json"): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept, origin: this.base, cookie: this.jar.header() },
      body: JSON.stringify(body),
    });
    this.jar.take(response);
    return response;
  }

  /** Joins by code; then, as the page does, joins the room's socket (online, the step viewed). */
  async join(code: string, step: { lessonId: string; stepId: string }): Promise<void> {
    const response = await this.post("/api/workshops/join", { code, name: this.name });
    const answer = (await response.json()) as JoinAnswer;
    if (!response.ok) throw new Error(`join answered ${response.status}: ${answer.error}`);
    this.seatId = answer.seatId;
    this.prepared = answer.session !== null;
    if (answer.session) this.sessionId = answer.session.id;
    this.room = io(`${this.base}${WORKSHOP_NAMESPACE}`, {
      ...SOCKET_OPTIONS,
      auth: { workshopId: answer.workshop.id },
      extraHeaders: { cookie: this.jar.header(), origin: this.base },
    });
    this.room.on("connect", () => this.room?.emit("step:viewed", step));
    this.room.on("attendee:state", (state: AttendeeState) => {
      this.statesSeen += 1;
      if (state.banner && !this.banners.has(state.banner.text)) this.banners.set(state.banner.text, performance.now());
      for (const test of [...this.stateWaiters]) test();
    });
  }

  /** Resolves once the room socket has had the room's state (the attendee is in the room), or with the time a message reached it. */
  private untilState<T>(what: string, seen: () => T | undefined, timeoutMs: number): Promise<T> {
    return withTimeout(
      new Promise<T>((resolve) => {
        const test = () => {
          const value = seen();
          if (value !== undefined) {
            this.stateWaiters.delete(test);
            resolve(value);
          }
        };
        this.stateWaiters.add(test);
        test();
      }),
      `${this.name}: ${what}`,
      timeoutMs,
    );
  }

  /** Resolves once the room's socket is connected and has shown the room's state. */
  async inRoom(timeoutMs = 60_000): Promise<void> {
    await this.untilState("the room's state", () => (this.statesSeen > 0 ? true : undefined), timeoutMs);
  }

  /** When (performance.now()) the instructor's message `text` reached this attendee. */
  messageArrival(text: string, timeoutMs = 60_000): Promise<number> {
    return this.untilState(`the message "${text}"`, () => this.banners.get(text), timeoutMs);
  }

  /** The cookies the answers set so far (the visitor's), as a Cookie header. */
  cookie(): string {
    return this.jar.header();
  }

  /** Starts the lesson's session (the seat had none ready, or its sandbox is gone), reading the progress stream to its {session} or {error}. */
  async startSession(lessonId: string): Promise<void> {
    this.sessionId = "";
    const response = await this.post("/api/sessions", { lessonId }, "application/x-ndjson");
    if (!response.ok || !response.body) throw new Error(`start answered ${response.status}: ${await response.text()}`);
    let buffered = "";
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
        const line = JSON.parse(buffered.slice(0, end)) as { session?: { id: string }; error?: string };
        buffered = buffered.slice(end + 1);
        if (line.error) throw new Error(`start streamed an error: ${line.error}`);
        if (line.session) this.sessionId = line.session.id;
      }
    }
    if (!this.sessionId) throw new Error("the start's stream ended without a session");
  }

  /** Opens the session's terminal and resolves when the shell's prompt is shown. */
  openTerminal(): Promise<void> {
    const terminal: Socket<TerminalServerEvents, TerminalClientEvents> = io(`${this.base}${TERMINAL_NAMESPACE}`, {
      ...SOCKET_OPTIONS,
      auth: { sessionId: this.sessionId, size: { cols: 120, rows: 40 } },
      extraHeaders: { cookie: this.jar.header(), origin: this.base },
    });
    this.terminal = terminal;
    let seen = "";
    return withTimeout(
      new Promise<void>((resolve, reject) => {
        terminal.on("terminal:output", (data, ack) => {
          seen = (seen + Buffer.from(data).toString("utf8")).slice(-4096);
          if (seen.includes(PROMPT)) resolve();
          if (typeof ack === "function") ack();
        });
        terminal.on("terminal:closed", (closed) => reject(new Error(`the terminal closed: ${JSON.stringify(closed)}`)));
        terminal.once("connect_error", (error) => reject(new Error(`the terminal was refused: ${error.message}`)));
      }),
      `${this.name}'s prompt`,
      PROMPT_TIMEOUT_MS,
    );
  }

  type(text: string): void {
    this.terminal?.emit("terminal:input", text);
  }

  /** Runs a check over the sandbox channel, as the lesson page's Check button does. */
  async check(script: string, timeoutMs: number): Promise<CheckOutcome> {
    if (!this.channel) {
      const channel: Socket<SandboxServerEvents, SandboxClientEvents> = io(`${this.base}${SANDBOX_NAMESPACE}`, {
        ...SOCKET_OPTIONS,
        auth: { sessionId: this.sessionId },
        extraHeaders: { cookie: this.jar.header(), origin: this.base },
      });
      this.channel = channel;
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          channel.once("connect", resolve);
          channel.once("connect_error", (error) => reject(new Error(`the sandbox channel was refused: ${error.message}`)));
        }),
        `${this.name}'s sandbox channel`,
        60_000,
      );
    }
    const channel = this.channel;
    const reply = await withTimeout(
      new Promise<Reply<CheckOutcome>>((resolve) => channel.emit("check:run", { script, timeoutMs }, resolve)),
      `${this.name}'s check`,
      timeoutMs + 15_000,
    );
    if (!reply.ok) throw new Error(`${this.name}'s check failed to run: ${reply.error}`);
    return reply.value;
  }

  close(): void {
    for (const socket of [this.terminal, this.channel, this.room]) socket?.close();
  }
}
