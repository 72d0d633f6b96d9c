import type { NextConfig } from "next";
import { PHASE_PRODUCTION_BUILD } from "next/constants";

// The Streamlit page that embeds the component in dev mode. Streamlit fetches the component's
// address once from its own origin, so the dev server answers that origin's CORS check.
const streamlitOrigin =
  process.env.STREAMLIT_URL ?? `http://localhost:${process.env.STREAMLIT_PORT ?? "4010"}`;

// One config for both modes; nothing here is edited to switch between them.
// - `next dev` (dev mode): served at its own origin; Streamlit loads it from COMPONENT_URL.
// - `next build` (release mode): a static export into out/, served by Streamlit under
//   /component/<name>/, so asset URLs must be relative ('./'), not absolute '/_next/...'.
export default function nextConfig(phase: string): NextConfig {
  const common: NextConfig = {
    reactStrictMode: true,
    // stcomp gives a check or a test its own build folder, so it runs beside `stcomp up`.
    distDir: process.env.NEXT_DIST_DIR ?? ".next",
    devIndicators: false,
    images: { unoptimized: true },
  };
  if (phase === PHASE_PRODUCTION_BUILD) {
    return { ...common, output: "export", assetPrefix: "./" };
  }
  return {
    ...common,
    async headers() {
      return [
        {
          source: "/",
          headers: [{ key: "Access-Control-Allow-Origin", value: streamlitOrigin }],
        },
      ];
    },
  };
}
