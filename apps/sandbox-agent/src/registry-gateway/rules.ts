/**
 * Who may do what through the registry gateway. Pure: a request line and a
 * caller in, a decision out.
 *
 *   library/*      the shared base images: anyone reads (the sandboxes'
 *                  dockerd mirror never sends credentials); nobody writes.
 *                  What the registry does not hold may come from the
 *                  Docker Hub mirror (`hubFallback`), where there is one.
 *   <learner>/*    that learner only, reads and writes, with credentials.
 *   anything else  refused: the catalog, one-part names, unknown routes.
 */

/** Who sent a request: nobody (no credentials), the anonymous holder of a token (a mirror pull), or a learner. */
export type Caller = { kind: "none" } | { kind: "anonymous" } | { kind: "learner"; name: string };

export type Decision =
  /**
   * Pass the request on, to exactly this path and query (the one checked,
   * normalised); with hubFallback, a read the registry answers 404 is asked
   * of the Docker Hub mirror next.
   */
  | { action: "forward"; target: string; hubFallback?: true }
  /** 401 with a challenge: credentials are needed and will be accepted. */
  | { action: "challenge"; message: string }
  | { action: "deny"; status: 403 | 404; code: "DENIED" | "UNSUPPORTED"; message: string };

// The Distribution grammar for repository names (lowercase components); a
// reference is a tag, a digest or an upload id. Anything else (percent
// escapes included) matches no route and is refused.
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const NAME = `${COMPONENT}(?:/${COMPONENT})*`;
const REFERENCE = "[A-Za-z0-9_][A-Za-z0-9_.:+=-]*";
const REPOSITORY_ROUTE = new RegExp(
  `^/v2/(${NAME})/(?:manifests/${REFERENCE}|blobs/uploads/(?:${REFERENCE})?|blobs/${REFERENCE}|tags/list)$`,
);
const NAME_ONLY = new RegExp(`^${NAME}$`);

const LIBRARY = "library";
const LOGIN_HINT = 'docker login $DRYDOCK_REGISTRY -u "$DRYDOCK_USER" --password-stdin <<<"$DRYDOCK_PASSWORD"';

export function decide(method: string, target: string, caller: Caller): Decision {
  // Origin-form only ("/v2/…"); the URL parser resolves dot segments, and what is checked is what is forwarded.
  if (!target.startsWith("/")) return unsupported(target);
  const url = new URL(target, "http://gateway.invalid");
  const path = url.pathname;

  if (path === "/v2/" || path === "/v2") {
    // The answer `docker login` verifies credentials with: 401 until it presents some.
    if (caller.kind === "none") return { action: "challenge", message: `Authentication required: ${LOGIN_HINT}` };
    return { action: "forward", target: "/v2/" };
  }
  if (path === "/v2/_catalog") {
    return deny("The catalog is not available here; list a repository's tags with /v2/<name>/tags/list.");
  }
  const name = REPOSITORY_ROUTE.exec(path)?.[1];
  if (!name) return unsupported(path);

  const reading = method === "GET" || method === "HEAD";
  const namespace = namespaceOf(name);
  if (namespace === LIBRARY) {
    if (reading) return { ...forward(url), hubFallback: true };
    return deny(`${name} is one of the shared base images and is read-only. Push to $DRYDOCK_REGISTRY/$DRYDOCK_USER/<name> instead.`);
  }
  if (caller.kind !== "learner") return { action: "challenge", message: `Authentication required for ${name}: ${LOGIN_HINT}` };
  if (namespace !== caller.name) {
    const own = `$DRYDOCK_REGISTRY/${caller.name}/${name.split("/").at(-1)}`;
    return deny(
      namespace === undefined
        ? `${name} has no namespace; your repositories are ${caller.name}/<name>, e.g. ${own}.`
        : `${name} is not in your namespace; your repositories are ${caller.name}/<name>, e.g. ${own}.`,
    );
  }
  if (method === "POST") dropForeignMount(url, caller);
  return forward(url);
}

function namespaceOf(name: string): string | undefined {
  const slash = name.indexOf("/");
  return slash > 0 ? name.slice(0, slash) : undefined;
}

/** Whether the caller may read a repository (the source of a cross-repository blob mount). */
export function mayRead(name: string, caller: Caller): boolean {
  if (!NAME_ONLY.test(name)) return false;
  const namespace = namespaceOf(name);
  return namespace === LIBRARY || (caller.kind === "learner" && namespace === caller.name);
}

/**
 * A blob upload may ask to mount a blob from another repository (`?mount=
 * <digest>&from=<name>`). From one the caller may not read, the mount would
 * copy someone else's layer: drop it, and the registry starts a plain upload,
 * as the protocol provides when a mount is not possible.
 */
function dropForeignMount(url: URL, caller: Caller): void {
  const from = url.searchParams.get("from");
  if (from === null || mayRead(from, caller)) return;
  url.searchParams.delete("mount");
  url.searchParams.delete("from");
}

function forward(url: URL): Extract<Decision, { action: "forward" }> {
  return { action: "forward", target: `${url.pathname}${url.search}` };
}

function deny(message: string): Decision {
  return { action: "deny", status: 403, code: "DENIED", message };
}

function unsupported(path: string): Decision {
  return { action: "deny", status: 404, code: "UNSUPPORTED", message: `The registry gateway does not serve ${path.slice(0, 200)}.` };
}
