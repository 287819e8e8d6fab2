/** What the control plane said when it refused an agent's request: its `{error}`, else the body as it came. */
export function controlPlaneRefusal(body: string): string {
  try {
    return (JSON.parse(body) as { error?: string }).error ?? body;
  } catch {
    return body;
  }
}
