"use client";

import { type RefObject, useEffect, useState } from "react";
import {
  autoFrameHeight,
  componentReady,
  onRender,
  type RenderEvent,
} from "./streamlit";

/** Connect to the Streamlit host: announce readiness, follow render messages and keep the
 * iframe as tall as `root`. Returns the latest render message, or null before the first. */
export function useStreamlit<Args>(root: RefObject<HTMLElement | null>): RenderEvent<Args> | null {
  const [render, setRender] = useState<RenderEvent<Args> | null>(null);

  useEffect(() => {
    const unsubscribe = onRender<Args>(setRender);
    componentReady(); // only after listening, so the first render message is not missed
    const element = root.current;
    const stopSizing = element === null ? () => undefined : autoFrameHeight(element);
    return () => {
      stopSizing();
      unsubscribe();
    };
  }, [root]);

  return render;
}
