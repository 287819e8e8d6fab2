import type { Metadata } from "next";
import Link from "next/link";
import { JoinForm } from "@/components/workshop/JoinForm";

export const metadata: Metadata = { title: "Join a workshop · Drydock" };

type Props = { searchParams: Promise<{ code?: string | string[] }> };

/** The link instructors share: /join?code=ABC234 (or type the code). */
export default async function JoinPage({ searchParams }: Props) {
  const { code } = await searchParams;
  return (
    <main className="catalog">
      <header className="page-header">
        <h1>
          <Link href="/">Drydock</Link>
        </h1>
      </header>
      <JoinForm code={typeof code === "string" ? code.slice(0, 20) : ""} />
    </main>
  );
}
