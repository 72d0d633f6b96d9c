"use client";

import { type RefObject, useEffect, useState } from "react";
import { connect, fitFrameHeight, type RenderMessage } from "./streamlit";

/** Connect to the Streamlit host: follow render messages (readiness is announced once
 * listening) and keep the iframe as tall as `root`. Returns the latest render message, or null
 * before the first. */
export function useStreamlit<Args>(root: RefObject<HTMLElement | null>): RenderMessage<Args> | null {
  const [render, setRender] = useState<RenderMessage<Args> | null>(null);

  useEffect(() => {
    const disconnect = connect<Args>(setRender);
    const element = root.current;
    const stopSizing = element === null ? () => undefined : fitFrameHeight(element);
    return () => {
      stopSizing();
      disconnect();
    };
  }, [root]);

  return render;
}
