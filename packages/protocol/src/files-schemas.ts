import { z } from "zod";
import {
  contentBytes,
  type FilesCreateRequest,
  type FilesDeleteRequest,
  type FilesListRequest,
  type FilesPlaceRequest,
  type FilesReadRequest,
  type FilesRenameRequest,
  type FilesWatchRequest,
  type FilesWriteManyRequest,
  type FilesWriteRequest,
  MAX_BATCH_BYTES,
  MAX_BATCH_FILES,
  MAX_FILE_BYTES,
  MAX_FILE_PATH,
  utf8Length,
} from "./files";

// Where a path may lead (no "..", not absolute, symlinks) is the engine's to decide, with its own explanations.
const path = z.string().min(1, "A path is required.").max(MAX_FILE_PATH, `A path is at most ${MAX_FILE_PATH} characters.`);

export const filesListRequestSchema: z.ZodType<FilesListRequest> = z.object({ dir: z.string().max(MAX_FILE_PATH).optional() }).strict();

export const filesReadRequestSchema: z.ZodType<FilesReadRequest> = z.object({ path }).strict();

export const filesWriteRequestSchema: z.ZodType<FilesWriteRequest> = z
  .object({
    path,
    content: z.string().refine((content) => utf8Length(content) <= MAX_FILE_BYTES, {
      message: `The content is larger than ${MAX_FILE_BYTES.toLocaleString("en")} bytes, the limit for files edited here.`,
    }),
    ifMatch: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "ifMatch must be the etag of an earlier files:read or files:write.")
      .optional(),
  })
  .strict();

export const filesWriteManyRequestSchema: z.ZodType<FilesWriteManyRequest> = z
  .object({
    files: z
      .array(
        z
          .object({
            path,
            content: z.string(),
            encoding: z.enum(["utf8", "base64"]).optional(),
            mode: z.number().int().min(0).max(0o7777, "mode is permission bits, at most 0o7777.").optional(),
          })
          .strict()
          .refine((file) => file.encoding !== "base64" || /^[A-Za-z0-9+/]*={0,2}$/.test(file.content), {
            message: "A base64 file's content must be base64 (A-Z, a-z, 0-9, +, /, = at the end).",
          }),
      )
      .min(1, "Send at least one file.")
      .max(MAX_BATCH_FILES, `Send at most ${MAX_BATCH_FILES} files at once.`)
      .refine((files) => files.reduce((bytes, file) => bytes + contentBytes(file), 0) <= MAX_BATCH_BYTES, {
        message: `The files hold more than ${MAX_BATCH_BYTES.toLocaleString("en")} bytes in all: send them in several requests.`,
      }),
  })
  .strict();

export const filesPlaceRequestSchema: z.ZodType<FilesPlaceRequest> = z
  .object({
    files: z
      .array(
        z
          .object({
            path: path.startsWith("/", "A placed file's path is absolute."),
            content: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "A placed file's content is base64."),
            mode: z.number().int().min(0).max(0o7777, "mode is permission bits, at most 0o7777.").optional(),
          })
          .strict(),
      )
      .min(1, "Send at least one file.")
      .max(MAX_BATCH_FILES, `Send at most ${MAX_BATCH_FILES} files at once.`)
      .refine((files) => files.reduce((bytes, file) => bytes + contentBytes({ ...file, encoding: "base64" }), 0) <= MAX_BATCH_BYTES, {
        message: `The files hold more than ${MAX_BATCH_BYTES.toLocaleString("en")} bytes in all: send them in several requests.`,
      }),
  })
  .strict();

export const filesCreateRequestSchema: z.ZodType<FilesCreateRequest> = z.object({ path, kind: z.enum(["file", "dir"]) }).strict();

export const filesRenameRequestSchema: z.ZodType<FilesRenameRequest> = z.object({ from: path, to: path }).strict();

export const filesDeleteRequestSchema: z.ZodType<FilesDeleteRequest> = z.object({ path }).strict();

export const filesWatchRequestSchema: z.ZodType<FilesWatchRequest> = z.object({}).strict();
