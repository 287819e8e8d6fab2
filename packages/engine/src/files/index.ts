export { FileConflictError } from "./errors";
export { ExecSandboxFiles, type FilesRunner } from "./exec-files";
export {
  DEFAULT_FILES_LIMITS,
  type FileChange,
  type FileContent,
  type FileEntry,
  type FileStat,
  type FilesLimits,
  type FileToWrite,
  type FileTree,
  type FileWatch,
  type SandboxFiles,
} from "./sandbox-files";
