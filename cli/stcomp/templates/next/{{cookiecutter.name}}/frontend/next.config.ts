import type { NextConfig } from "next";
import { PHASE_PRODUCTION_BUILD } from "next/constants";

// One config for both modes:
// - `next dev` (dev mode) serves the component at its own origin; Streamlit loads it from
//   COMPONENT_URL.
// - `next build` (release mode) writes a static export to out/, which Streamlit serves under
//   /component/<name>/, so asset URLs must be relative ("./"), not absolute ("/_next/...").
export default function config(phase: string): NextConfig {
  const release = phase === PHASE_PRODUCTION_BUILD;
  return {
    reactStrictMode: true,
    devIndicators: false,
    images: { unoptimized: true },
    ...(release ? { output: "export", assetPrefix: "./" } : {}),
  };
}
