import { describe, expect, it } from "vitest";
import { closestMatch, editDistance } from "./dockerfile-suggest";

const INSTRUCTIONS = ["FROM", "RUN", "CMD", "COPY", "ADD", "WORKDIR", "EXPOSE", "ENV", "ENTRYPOINT", "USER"];

describe("editDistance", () => {
  it("counts a swap of neighbouring letters as one edit", () => {
    expect(editDistance("FORM", "FROM")).toBe(1);
    expect(editDistance("WORKDRI", "WORKDIR")).toBe(1);
  });

  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("RU", "RUN")).toBe(1);
    expect(editDistance("COPPY", "COPY")).toBe(1);
    expect(editDistance("CMF", "CMD")).toBe(1);
    expect(editDistance("", "ENV")).toBe(3);
    expect(editDistance("EXPOSE", "EXPOSE")).toBe(0);
  });
});

describe("closestMatch", () => {
  it("suggests the instruction a slip of the fingers meant, in any case", () => {
    expect(closestMatch("FORM", INSTRUCTIONS)).toBe("FROM");
    expect(closestMatch("form", INSTRUCTIONS)).toBe("FROM");
    expect(closestMatch("Workdri", INSTRUCTIONS)).toBe("WORKDIR");
    expect(closestMatch("ENTRYPIONT", INSTRUCTIONS)).toBe("ENTRYPOINT");
  });

  it("suggests nothing for a word that is not close to any", () => {
    expect(closestMatch("APT-GET", INSTRUCTIONS)).toBeUndefined();
    expect(closestMatch("LS", INSTRUCTIONS)).toBeUndefined();
    expect(closestMatch("COPYFILES", INSTRUCTIONS)).toBeUndefined();
  });
});
