import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { NextResponse } from "next/server";
import type { WebContext } from "../context";
import { INSTRUCTOR_COOKIE, instructorFromCookieHeader, type SignedInInstructor } from "../instructors/instructor-access";
import { hasAnyInstructor, type InstructorSessionToken } from "../instructors/instructor-accounts";
import { HttpError } from "./http-error";

/** The instructor this request's cookie signs in, or null (for pages and routes). */
export async function signedInInstructor(ctx: WebContext): Promise<SignedInInstructor | null> {
  return instructorFromCookieHeader(ctx, (await headers()).get("cookie") ?? undefined);
}

/** For route handlers: the signed-in instructor, or a 401 saying where to sign in. */
export async function requireInstructor(ctx: WebContext): Promise<SignedInInstructor> {
  const instructor = await signedInInstructor(ctx);
  if (!instructor) throw new HttpError("Sign in as an instructor first (/instructor/login); your session may have expired.", 401);
  return instructor;
}

/**
 * For instructor pages: the signed-in instructor; otherwise a redirect to the
 * sign-in page that comes back to `returnTo`, or to the first-run page while
 * no instructor account exists.
 */
export async function instructorForPage(ctx: WebContext, returnTo: string): Promise<SignedInInstructor> {
  const instructor = await signedInInstructor(ctx);
  if (instructor) return instructor;
  if (!(await hasAnyInstructor(ctx.db))) redirect("/instructor/setup");
  redirect(`/instructor/login?next=${encodeURIComponent(returnTo)}`);
}

/** The session cookie: httpOnly, SameSite=Lax, Secure when the request came over HTTPS, for as long as the session lasts. */
export function setInstructorCookie(response: NextResponse, request: Request, session: InstructorSessionToken): void {
  const secure = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  response.cookies.set(INSTRUCTOR_COOKIE, session.token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    expires: session.expiresAt,
  });
}

export function clearInstructorCookie(response: NextResponse): void {
  response.cookies.set(INSTRUCTOR_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 0 });
}

/** The sign-in cookie's token as the request carries it (for sign-out). */
export async function instructorCookieToken(): Promise<string | undefined> {
  return (await cookies()).get(INSTRUCTOR_COOKIE)?.value;
}

/** Where to go after signing in: a path of this site only, never another origin. */
export function safeReturnPath(next: string | null | undefined): string {
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/instructor";
}
