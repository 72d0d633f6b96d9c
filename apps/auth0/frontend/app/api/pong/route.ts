import type { NextRequest } from "next/server";
import { json, relayToFlask } from "@/lib/flask";

export const dynamic = "force-dynamic";

/** Relays the bearer token the component sent (from its stored session) to the Flask API's
 * /api/pong, or /api/pong-scoped with `?scoped=1`. */
export async function GET(request: NextRequest): Promise<Response> {
  const upstream = request.nextUrl.searchParams.get("scoped") === "1" ? "/api/pong-scoped" : "/api/pong";
  const authorization = request.headers.get("authorization") ?? "";
  if (!/^Bearer \S+$/.test(authorization)) {
    const body = { code: "authorization_header_missing", description: "Log in first: no bearer token was sent." };
    return json({ route: "/api/pong", upstream, status: 401, body }, 401);
  }
  const { status, body } = await relayToFlask(upstream, authorization);
  return json({ route: "/api/pong", upstream, status, body }, status);
}
