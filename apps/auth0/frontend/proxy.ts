import { NextResponse, type NextRequest } from "next/server";
import { auth0 } from "@/lib/auth0";
import { MissingSettingError } from "@/lib/config";

// The Streamlit page that embeds the component fetches its address once from its own origin:
// "/" answers that origin's CORS check. Read at request time (a next.config.ts headers() entry
// would be fixed at build time, with the build's ports, in release mode).
function streamlitOrigin(): string {
  return process.env.STREAMLIT_URL ?? `http://localhost:${process.env.STREAMLIT_PORT ?? "4010"}`;
}

// Mounts nextjs-auth0's routes: /auth/login, /auth/callback, /auth/logout, ... (Next.js 16
// names the middleware file proxy.ts; it runs on the Node.js runtime).
export async function proxy(request: NextRequest): Promise<NextResponse> {
  if (request.nextUrl.pathname === "/") {
    const response = NextResponse.next();
    response.headers.set("Access-Control-Allow-Origin", streamlitOrigin());
    return response;
  }
  let client: ReturnType<typeof auth0>;
  try {
    client = auth0();
  } catch (error) {
    if (error instanceof MissingSettingError) {
      // Shown in the login popup and in the component's log: it names the missing variable.
      console.error(error.message);
      return new NextResponse(error.message, {
        status: 500,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
    throw error;
  }
  return client.middleware(request);
}

export const config = {
  matcher: ["/", "/auth/:path*"],
};
