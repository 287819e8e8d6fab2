import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { ReloadOnFailedScript } from "../components/ReloadOnFailedScript";
import "./globals.css";

export const metadata: Metadata = {
  title: "Drydock",
  description: "Learn to build and run Docker images in your browser, on a real Docker engine of your own.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = (await cookies()).get("drydock_theme")?.value;
  return (
    <html lang="en" data-theme={theme === "light" || theme === "dark" ? theme : undefined}>
      <head>
        <ReloadOnFailedScript />
      </head>
      <body>{children}</body>
    </html>
  );
}
