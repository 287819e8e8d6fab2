import type { FileBlock, RunBlock, SetupBlock, SourcePosition, VariantBlock } from "../model";
import type { ParsedPage } from "./page-parser";
import { type LessonProblem, problemAt } from "./problems";

/**
 * A ```variant block from its parsed content: its setup scripts (state the
 * learner may already have) and the run and file blocks that perform the step
 * the second way. A problem instead when it gives the runner nothing to
 * perform; undefined when its blocks are broken (their problems are reported).
 */
export function variantBlock(markdown: string, content: ParsedPage, position: SourcePosition): VariantBlock | LessonProblem | undefined {
  const setups = content.parts.filter((part): part is SetupBlock => part.kind === "setup");
  const blocks = content.parts.filter((part): part is RunBlock | FileBlock => part.kind === "run" || part.kind === "file");
  if (blocks.length > 0) return { kind: "variant", markdown, setups, blocks, position };
  if (content.brokenKinds.has("run") || content.brokenKinds.has("file")) return undefined;
  return problemAt(
    position,
    "The ```variant block has nothing the runner can perform.",
    "Write the step's second way in it as ```run or ```file blocks, with a longer fence outside (````variant).",
  );
}
