const BLOCK = 512;

/**
 * The content of the last regular file in an uncompressed tar archive (the
 * Docker archive API's answer for one file), without a tar library: each
 * entry is a 512-byte header (size in octal at offset 124) and its content
 * padded to 512 bytes. Empty when there is none.
 */
export function lastFileInTar(archive: Buffer): Buffer {
  let content: Buffer = Buffer.alloc(0);
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/, "").trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + BLOCK;
    if (type === "0" || type === "\0") content = archive.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return content;
}
