import { describe, expect, it } from "vitest";
import { decodeText, etagOf, SNIFF_BYTES } from "./content";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("telling text from binary", () => {
  it("decodes UTF-8 text, emoji and a byte-order mark included", () => {
    expect(decodeText(utf8("FROM debian:bookworm\nRUN echo 🐳 ünïcødé\n"), true)).toBe("FROM debian:bookworm\nRUN echo 🐳 ünïcødé\n");
    expect(decodeText(utf8("\uFEFFbom"), true)).toBe("\uFEFFbom");
    expect(decodeText(new Uint8Array(), true)).toBe("");
  });

  it("calls a NUL byte in the first chunk binary", () => {
    expect(decodeText(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00]), true)).toBeUndefined();
  });

  it("calls invalid UTF-8 anywhere in a whole file binary, so a save cannot corrupt it", () => {
    const late = new Uint8Array(SNIFF_BYTES * 2).fill(0x61);
    late[SNIFF_BYTES + 10] = 0xff;
    expect(decodeText(late, true)).toBeUndefined();
    expect(decodeText(Uint8Array.from([0xc3, 0x28]), true)).toBeUndefined();
  });

  it("lets a sample end in the middle of a character, but not a whole file", () => {
    const cut = utf8("ab🐳").subarray(0, 4);
    expect(decodeText(cut, false)).toBe("ab");
    expect(decodeText(cut, true)).toBeUndefined();
  });

  it("tags content by its SHA-256, as sha256sum prints it", () => {
    expect(etagOf(utf8("hello\n"))).toBe("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  });
});
