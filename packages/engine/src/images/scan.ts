/** Most images listed with their layers (the newest); beyond them the snapshot counts `omitted`. */
export const MAX_LISTED_IMAGES = 60;

/**
 * One exec in the sandbox gathers what the Images panel shows, in sections,
 * from the inner engine's API (as the docker CLI would ask it) and its image
 * store: the images, their inspect, history and config (the config is the
 * only place that says which history entries made no layer, and keeps each
 * step's time to the nanosecond), the engine's buffered image events and
 * the build cache's last uses (to tell a build from a plain `docker tag`),
 * and how long the sandbox has been up. Tools: coreutils, procps, sed, curl.
 */
export const IMAGE_SCAN_SCRIPT = `
api() { curl -sf --max-time 10 --unix-socket /var/run/docker.sock "http://engine$1"; }
echo "@@now"; date +%s.%N
echo "@@uptime"; ps -o etimes= -p 1
root=$(api /info | sed -n 's/.*"DockerRootDir":"\\([^"]*\\)".*/\\1/p')
images=$(api /images/json)
echo "@@images"; printf '%s\\n' "$images"
echo "@@events"; api "/events?since=0&until=$(date +%s.%N)&filters=%7B%22type%22%3A%5B%22image%22%5D%7D"
echo "@@buildcache"; api "/system/df?type=build-cache"; echo
for id in $(printf '%s' "$images" | grep -o '"Id":"sha256:[0-9a-f]*"' | cut -d'"' -f4 | head -n ${MAX_LISTED_IMAGES}); do
  echo "@@inspect $id"; api "/images/$id/json"; echo
  echo "@@history $id"; api "/images/$id/history"; echo
  echo "@@config $id"; [ -n "$root" ] && cat "$root"/image/*/imagedb/content/sha256/"\${id#sha256:}" 2>/dev/null; echo
done
true
`;

/**
 * Streams the inner engine's image events (one JSON object a line) until the
 * exec's stdin closes: Docker does not stop an exec whose client went away.
 */
export const IMAGE_EVENTS_SCRIPT = `
curl -sfN --unix-socket /var/run/docker.sock "http://engine/events?filters=%7B%22type%22%3A%5B%22image%22%5D%7D" &
events=$!
while kill -0 "$events" 2>/dev/null; do
  read -r -t 0.5 _
  status=$?
  if [ "$status" -ne 0 ] && [ "$status" -le 128 ]; then kill "$events"; exit 0; fi
done
wait "$events"
`;

/** The engine's answers as they came, JSON not yet trusted. */
export interface RawImageScan {
  /** Seconds since the epoch, in the sandbox. */
  now: number;
  /** Seconds the sandbox has been up; undefined when unreadable. */
  uptimeSeconds: number | undefined;
  images: unknown;
  /** One event per line. */
  events: unknown[];
  buildCache: unknown;
  /** Per image id: its inspect, history and stored config. */
  details: Map<string, { inspect?: unknown; history?: unknown; config?: unknown }>;
}

/** Splits the scan's output into its sections and parses each one's JSON; a section that does not parse is left undefined. */
export function parseImageScan(output: string): RawImageScan {
  const scan: RawImageScan = {
    now: Number.NaN,
    uptimeSeconds: undefined,
    images: undefined,
    events: [],
    buildCache: undefined,
    details: new Map(),
  };
  for (const { name, argument, body } of sections(output)) {
    switch (name) {
      case "now":
        scan.now = Number(body.trim());
        break;
      case "uptime": {
        const seconds = Number.parseInt(body.trim(), 10);
        scan.uptimeSeconds = Number.isFinite(seconds) ? seconds : undefined;
        break;
      }
      case "images":
        scan.images = parseJson(body);
        break;
      case "events":
        scan.events = body
          .split("\n")
          .map(parseJson)
          .filter((event) => event !== undefined);
        break;
      case "buildcache":
        scan.buildCache = parseJson(body);
        break;
      case "inspect":
      case "history":
      case "config": {
        if (!argument) break;
        const detail = scan.details.get(argument) ?? {};
        detail[name] = parseJson(body);
        scan.details.set(argument, detail);
        break;
      }
    }
  }
  return scan;
}

function* sections(output: string): Generator<{ name: string; argument: string; body: string }> {
  let current: { name: string; argument: string; lines: string[] } | undefined;
  for (const line of output.split("\n")) {
    const header = /^@@(\w+)(?: (\S+))?$/.exec(line);
    if (!header) {
      current?.lines.push(line);
      continue;
    }
    if (current) yield { name: current.name, argument: current.argument, body: current.lines.join("\n") };
    current = { name: header[1] ?? "", argument: header[2] ?? "", lines: [] };
  }
  if (current) yield { name: current.name, argument: current.argument, body: current.lines.join("\n") };
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}
