import { describe, expect, it } from "vitest";
import { forwardedHeaders } from "./http-relay";

describe("forwardedHeaders", () => {
  it("drops the hop's own headers and those its Connection header names", () => {
    expect(
      forwardedHeaders({
        host: "8888-ses-a-b.preview.localhost",
        connection: "keep-alive, X-Hop",
        "keep-alive": "timeout=5",
        "x-hop": "1",
        "transfer-encoding": "chunked",
        te: "trailers",
        upgrade: "websocket",
        "proxy-authorization": "Basic x",
        expect: "100-continue",
        "set-cookie": ["a=1", "b=2"],
        "x-app": "kept",
        authorization: "Bearer app-token",
      }),
    ).toEqual({
      host: "8888-ses-a-b.preview.localhost",
      "set-cookie": ["a=1", "b=2"],
      "x-app": "kept",
      authorization: "Bearer app-token",
    });
  });
});
