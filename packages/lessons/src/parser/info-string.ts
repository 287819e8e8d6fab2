/**
 * A fenced block's info string: its kind, then options. An option is a flag
 * (`interrupt`) or `name=value`, the value quoted when it has spaces
 * (`until="Running on"`, `\"` inside quotes). Each token keeps its column so
 * problems point at the exact option.
 */
export interface InfoToken {
  name: string;
  /** Undefined for a flag. */
  value: string | undefined;
  /** 0-based offset of the token in the info string. */
  offset: number;
}

export interface ParsedInfoString {
  kind: string;
  kindOffset: number;
  options: InfoToken[];
}

export interface InfoStringError {
  message: string;
  fix: string;
  offset: number;
}

export function parseInfoString(info: string): ParsedInfoString | InfoStringError {
  const tokens: InfoToken[] = [];
  let index = 0;
  const skipSpaces = () => {
    while (index < info.length && /\s/.test(info.charAt(index))) index++;
  };
  skipSpaces();
  while (index < info.length) {
    const start = index;
    let name = "";
    while (index < info.length && !/[\s=]/.test(info.charAt(index))) name += info.charAt(index++);
    let value: string | undefined;
    if (info.charAt(index) === "=") {
      index++;
      if (info.charAt(index) === '"') {
        index++;
        value = "";
        let closed = false;
        while (index < info.length) {
          const char = info.charAt(index++);
          if (char === "\\" && index < info.length) {
            value += info.charAt(index++);
          } else if (char === '"') {
            closed = true;
            break;
          } else {
            value += char;
          }
        }
        if (!closed) {
          return {
            message: `The quoted value of "${name}" is not closed.`,
            fix: 'End the value with a double quote: name="value".',
            offset: start,
          };
        }
        if (index < info.length && !/\s/.test(info.charAt(index))) {
          return { message: `Text follows the closing quote of "${name}".`, fix: "Put a space between options.", offset: index };
        }
      } else {
        value = "";
        while (index < info.length && !/\s/.test(info.charAt(index))) value += info.charAt(index++);
      }
    }
    if (name === "") {
      return { message: "An option has no name before its '='.", fix: "Write options as name=value.", offset: start };
    }
    tokens.push({ name, value, offset: start });
    skipSpaces();
  }
  const [kindToken, ...options] = tokens;
  if (!kindToken) return { kind: "", kindOffset: 0, options: [] };
  if (kindToken.value !== undefined) {
    return {
      message: `The info string starts with an option ("${kindToken.name}=") instead of the block's kind.`,
      fix: "Start the info string with the kind, e.g. ```file path=app.py.",
      offset: kindToken.offset,
    };
  }
  return { kind: kindToken.name, kindOffset: kindToken.offset, options };
}

export function isInfoStringError(value: ParsedInfoString | InfoStringError): value is InfoStringError {
  return "message" in value;
}
