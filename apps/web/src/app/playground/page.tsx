import Link from "next/link";
import { Playground } from "@/components/Playground";

export default function PlaygroundPage() {
  return (
    <main className="playground">
      <header className="page-header">
        <h1>
          <Link href="/">Drydock</Link> · Playground
        </h1>
        <p>A real Docker engine of your own, in the browser.</p>
      </header>
      <Playground />
    </main>
  );
}
