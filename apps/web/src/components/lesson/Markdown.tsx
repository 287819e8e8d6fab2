import type { ReactNode } from "react";
import type { MdNode } from "@/lesson-view/types";

/** Where a `port:8888/path` link of a lesson leads: the preview of that port in the learner's sandbox. */
export type PortHref = (port: number, path: string) => string | undefined;

const PORT_LINK = /^port:(\d{1,5})(\/.*)?$/;

/**
 * Renders a lesson's Markdown tree as React elements. Raw HTML in a lesson is
 * shown as text, and only http(s) and port links become links: nothing in a
 * lesson can run script in the page.
 */
export function Markdown({ tree, portHref }: { tree: MdNode; portHref: PortHref }) {
  return <>{render(tree, portHref, "m")}</>;
}

function children(node: MdNode, portHref: PortHref, key: string): ReactNode[] {
  return (node.children ?? []).map((child, index) => render(child, portHref, `${key}.${index}`));
}

function render(node: MdNode, portHref: PortHref, key: string): ReactNode {
  const inner = () => children(node, portHref, key);
  switch (node.type) {
    case "root":
      return inner();
    case "paragraph":
      return <p key={key}>{inner()}</p>;
    case "heading": {
      // The page title is the step's heading; headings inside a step sit below it.
      const level = Math.min(6, Math.max(3, (node.depth ?? 1) + 2));
      const Tag = `h${level}` as "h3";
      return <Tag key={key}>{inner()}</Tag>;
    }
    case "text":
    case "html":
      return node.value ?? "";
    case "emphasis":
      return <em key={key}>{inner()}</em>;
    case "strong":
      return <strong key={key}>{inner()}</strong>;
    case "inlineCode":
      return <code key={key}>{node.value}</code>;
    case "code":
      return (
        <pre key={key} className="code-sample">
          <code>{node.value}</code>
        </pre>
      );
    case "list":
      return node.ordered ? (
        <ol key={key} start={node.start ?? undefined}>
          {inner()}
        </ol>
      ) : (
        <ul key={key}>{inner()}</ul>
      );
    case "listItem":
      return <li key={key}>{unwrapTightParagraph(node, portHref, key)}</li>;
    case "blockquote":
      return <blockquote key={key}>{inner()}</blockquote>;
    case "thematicBreak":
      return <hr key={key} />;
    case "break":
      return <br key={key} />;
    case "link":
      return link(node, inner(), portHref, key);
    case "image":
      return node.value ?? "";
    default:
      return node.children ? inner() : (node.value ?? "");
  }
}

function unwrapTightParagraph(node: MdNode, portHref: PortHref, key: string): ReactNode[] {
  const items = node.children ?? [];
  if (items.length === 1 && items[0]?.type === "paragraph") return children(items[0], portHref, `${key}.0`);
  return children(node, portHref, key);
}

function link(node: MdNode, content: ReactNode[], portHref: PortHref, key: string): ReactNode {
  const url = node.url ?? "";
  const port = PORT_LINK.exec(url);
  if (port) {
    const href = portHref(Number(port[1]), port[2] ?? "/");
    if (!href)
      return (
        <span key={key} className="port-link-disabled" title="Start the sandbox to open the app">
          {content}
        </span>
      );
    return (
      <a key={key} href={href} target="_blank" rel="noopener noreferrer" className="port-link">
        {content}
      </a>
    );
  }
  if (/^https?:\/\//i.test(url)) {
    return (
      <a key={key} href={url} target="_blank" rel="noopener noreferrer">
        {content}
      </a>
    );
  }
  return <span key={key}>{content}</span>;
}
