import { MAX_BATCH_BYTES, MAX_BATCH_FILES } from "@drydock/protocol";
import { describe, expect, it } from "vitest";
import { batchFiles } from "./workspace-preparation";

const file = (path: string, bytes = 1) => ({ path, content: "x".repeat(bytes) });

describe("batching a workspace's files for files:write-many", () => {
  it("sends a lesson's few files in one request, in their order", () => {
    const files = [file("static/a.svg"), file("app.py"), file("app.py", 3)];
    expect(batchFiles(files)).toEqual([files]);
    expect(batchFiles([])).toEqual([]);
  });

  it("starts a new batch before the byte or file limit is passed, keeping the order", () => {
    const big = [file("a", MAX_BATCH_BYTES - 10), file("b", 10), file("c", 1), file("d", MAX_BATCH_BYTES)];
    expect(batchFiles(big).map((batch) => batch.map((each) => each.path))).toEqual([["a", "b"], ["c"], ["d"]]);
    const many = Array.from({ length: MAX_BATCH_FILES * 2 + 1 }, (_, index) => file(`f${index}`));
    expect(batchFiles(many).map((batch) => batch.length)).toEqual([MAX_BATCH_FILES, MAX_BATCH_FILES, 1]);
    expect(batchFiles(many).flat()).toEqual(many);
  });

  it("counts bytes of UTF-8, not characters", () => {
    const whales = { path: "w", content: "🐳".repeat(MAX_BATCH_BYTES / 4) };
    expect(batchFiles([whales, file("next")])).toEqual([[whales], [file("next")]]);
  });

  it("lets a file larger than any batch travel alone, for the agent to refuse with its reason", () => {
    expect(batchFiles([file("a"), file("huge", MAX_BATCH_BYTES + 1), file("b")]).map((batch) => batch.length)).toEqual([1, 1, 1]);
  });
});
