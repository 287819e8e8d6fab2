/**
 * CSV as RFC 4180 writes it (CRLF line ends; a field with a comma, quote, CR
 * or LF is quoted, its quotes doubled), made safe to open in a spreadsheet:
 * a text field that starts like a formula (= + - @, tab, CR) gets a leading
 * apostrophe, so an attendee named `=HYPERLINK(...)` stays a name (OWASP's
 * advice against CSV injection). Numbers are written as they are.
 */
export function toCsv(headings: string[], rows: (string | number | null)[][]): string {
  return [headings, ...rows].map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

export function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
