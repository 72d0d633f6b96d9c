import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Dev mode: `vite` serves the component at its own origin; Streamlit loads it from COMPONENT_URL.
// Release mode: `vite build` writes the package's build/ (so that it ships in the wheel), which Streamlit serves under /component/<name>/,
// so asset URLs must be relative ("./"), not absolute ("/assets/...").
export default defineConfig({
  base: "./",
  plugins: [react()],
  server: { strictPort: true },
  build: { outDir: "../{{ cookiecutter.name }}/build", emptyOutDir: true },
});
