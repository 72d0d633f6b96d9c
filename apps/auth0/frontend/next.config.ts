import type { NextConfig } from "next";

// One config for both modes: `next dev` (dev) and `next build` + `next start` (release). The
// component is never a static export: the /auth/* routes and the API routes need a server.
// The CORS answer to the Streamlit page is set at request time, in proxy.ts.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  // stcomp gives a check or a test its own build folder, so it runs beside `stcomp up`.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  devIndicators: false,
  poweredByHeader: false,
};

export default nextConfig;
