import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "./csv";

describe("CSV (RFC 4180)", () => {
  it("ends every record with CRLF and leaves plain fields bare", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          ["x", 1],
          ["y", null],
        ],
      ),
    ).toBe("a,b\r\nx,1\r\ny,\r\n");
  });

  it("quotes a field with a comma, a quote, CR or LF, doubling its quotes", () => {
    expect(csvField("Lovelace, Ada")).toBe('"Lovelace, Ada"');
    expect(csvField('Ada "the first" Lovelace')).toBe('"Ada ""the first"" Lovelace"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
  });

  it("defuses text that a spreadsheet would run as a formula", () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvField("+1+2")).toBe("'+1+2");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tcmd")).toBe("'\tcmd");
    expect(csvField("Ada = Grace")).toBe("Ada = Grace");
  });

  it("writes numbers as numbers, negative ones included", () => {
    expect(csvField(-3)).toBe("-3");
    expect(csvField(0)).toBe("0");
  });
});
