import type { NextRequest } from "next/server";
import { auth0 } from "@/lib/auth0";
import { MissingSettingError } from "@/lib/config";
import { json } from "@/lib/flask";

export const dynamic = "force-dynamic";

const USER_CLAIMS = ["sub", "name", "nickname", "email", "picture"] as const;

/** The session nextjs-auth0 keeps in its cookie, for the popup page to store in the browser:
 * user, access token, id token and expiry. Same-origin pages only. */
export async function GET(request: NextRequest): Promise<Response> {
  return sessionResponse(request, false);
}

/** The same, renewed first: a new access token from the provider with the session's refresh
 * token (which the provider rotates); 401 when there is no session or the renewal fails. */
export async function POST(request: NextRequest): Promise<Response> {
  return sessionResponse(request, true);
}

async function sessionResponse(request: NextRequest, renew: boolean): Promise<Response> {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") {
    return json({ code: "forbidden", description: "Same-origin requests only." }, 403);
  }
  let client: ReturnType<typeof auth0>;
  try {
    client = auth0();
  } catch (error) {
    if (error instanceof MissingSettingError) {
      console.error(error.message);
      return json({ code: "misconfigured", description: error.message }, 500);
    }
    throw error;
  }
  if (renew) {
    try {
      await client.getAccessToken({ refresh: true });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const description = `The session could not be renewed (${typeof code === "string" ? code : "error"}).`;
      return json({ code: "renewal_failed", description }, 401);
    }
  }
  const session = await client.getSession();
  if (session === null) {
    return json({ code: "no_session", description: "Not logged in." }, 401);
  }
  const user: Record<string, unknown> = {};
  for (const claim of USER_CLAIMS) {
    if (session.user[claim] !== undefined) {
      user[claim] = session.user[claim];
    }
  }
  const { accessToken, idToken, expiresAt, scope } = session.tokenSet;
  return json({ user, accessToken, idToken: idToken ?? null, expiresAt, scope: scope ?? "" });
}
