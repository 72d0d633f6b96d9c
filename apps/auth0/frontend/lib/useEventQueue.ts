"use client";

import { useCallback, useEffect, useRef } from "react";
import { sendEvent } from "./streamlit";

/** How long to wait for the host's acknowledgement before sending the next event anyway. */
const ACK_TIMEOUT_MS = 5_000;

interface Pending {
  event: string;
  data: unknown;
}

/** Send events to the host one at a time. A component has one value, so an event sent while
 * the host is still rerunning for the previous one would replace it unseen; the host's
 * `handled` prop (the id of the last event it dispatched) tells when the next may go. */
export function useEventQueue(handled: string): (event: string, data: unknown) => void {
  const queue = useRef<Pending[]>([]);
  const inFlight = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const pump = useCallback((): void => {
    if (inFlight.current !== null) {
      return;
    }
    const next = queue.current.shift();
    if (next === undefined) {
      return;
    }
    inFlight.current = sendEvent(next.event, next.data);
    timer.current = setTimeout(() => {
      inFlight.current = null;
      pump();
    }, ACK_TIMEOUT_MS);
  }, []);

  useEffect(() => {
    if (inFlight.current !== null && handled === inFlight.current) {
      clearTimeout(timer.current);
      inFlight.current = null;
      pump();
    }
  }, [handled, pump]);

  useEffect(() => () => clearTimeout(timer.current), []);

  return useCallback(
    (event: string, data: unknown): void => {
      queue.current.push({ event, data });
      pump();
    },
    [pump],
  );
}
