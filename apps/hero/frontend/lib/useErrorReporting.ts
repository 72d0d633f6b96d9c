"use client";

import { useEffect } from "react";
import { EVENTS, type ErrorReport } from "./heroProtocol";
import { sendEvent } from "./streamlit";

/** Report uncaught errors and rejected promises inside the component to the host (onError). */
export function useErrorReporting(): void {
  useEffect(() => {
    const report = (message: string): void => {
      sendEvent<ErrorReport>(EVENTS.error, { message });
    };
    const onError = (event: ErrorEvent): void => report(event.message || "Unknown error");
    const onRejection = (event: PromiseRejectionEvent): void =>
      report(`Unhandled rejection: ${String(event.reason)}`);
    window.addEventListener("error", onError);
    window.addEventListener("unhandledrejection", onRejection);
    return () => {
      window.removeEventListener("error", onError);
      window.removeEventListener("unhandledrejection", onRejection);
    };
  }, []);
}
