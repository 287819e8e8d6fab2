import { Playground } from "@/components/Playground";

export default function Home() {
  return (
    <main>
      <header>
        <h1>Drydock</h1>
        <p>A real Docker engine of your own, in the browser.</p>
      </header>
      <Playground />
    </main>
  );
}
