import type { NextRequest, NextResponse } from "next/server";
import { auth0 } from "@/lib/auth0";

// Mounts nextjs-auth0's routes: /auth/login, /auth/callback, /auth/logout, ... (Next.js 16
// names the middleware file proxy.ts; it runs on the Node.js runtime).
export async function proxy(request: NextRequest): Promise<NextResponse> {
  return auth0().middleware(request);
}

export const config = {
  matcher: ["/auth/:path*"],
};
