"use client";

import { type CSSProperties, useEffect, useRef, useState } from "react";
import { openAuthPopup, type PopupKind } from "@/lib/popup";
import {
  type ActionRequest,
  type ApiPath,
  type ApiResult,
  EVENTS,
  parseArgs,
  type StatusUpdate,
} from "@/lib/protocol";
import { displayName } from "@/lib/session";
import { connect, fitFrameHeight, type RenderMessage, sendEvent, type StreamlitTheme } from "@/lib/streamlit";
import { useEventQueue } from "@/lib/useEventQueue";
import { useStoredSession } from "@/lib/useStoredSession";

type Call = ApiResult["call"];

const ROUTES: Record<Call, string> = {
  ping: "/api/ping",
  pong: "/api/pong",
  "pong-scoped": "/api/pong?scoped=1",
};

function themeStyle(theme: StreamlitTheme | undefined): CSSProperties {
  if (theme === undefined) {
    return {};
  }
  return {
    "--primary": theme.primaryColor,
    "--background": theme.backgroundColor,
    "--surface": theme.secondaryBackgroundColor,
    "--text": theme.textColor,
    "--font": theme.font,
  } as CSSProperties;
}

function expiryText(expiresAt: number): string {
  return new Date(expiresAt * 1000).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/** The Auth0 component: popup login/logout, the session in local storage, API calls from the
 * component and through the host. */
export default function Auth0Component() {
  const root = useRef<HTMLDivElement>(null);
  const [render, setRender] = useState<RenderMessage | null>(null);
  const [lastCall, setLastCall] = useState<ApiResult | null>(null);
  const [calling, setCalling] = useState<Call | null>(null);
  const [note, setNote] = useState("");
  const [draft, setDraft] = useState("Hello from the component");

  useEffect(() => {
    const disconnect = connect(setRender);
    const stopSizing = root.current === null ? () => undefined : fitFrameHeight(root.current);
    const onError = (event: ErrorEvent): void => {
      sendEvent(EVENTS.error, { message: event.message || "Unknown error" });
    };
    window.addEventListener("error", onError);
    return () => {
      window.removeEventListener("error", onError);
      stopSizing();
      disconnect();
    };
  }, []);

  const args = render === null ? null : parseArgs(render.args);
  const send = useEventQueue(args?.handled ?? "");
  const session = useStoredSession(render !== null, (update: StatusUpdate) => send(EVENTS.statusUpdate, update));
  const disabled = render?.disabled === true;

  const popup = (kind: PopupKind): void => {
    setNote(openAuthPopup(kind) === null ? "The browser blocked the popup: allow popups for this page." : "");
  };

  const callApi = async (call: Call): Promise<void> => {
    setCalling(call);
    const headers: Record<string, string> = {};
    if (call !== "ping" && session !== null) {
      headers.Authorization = `Bearer ${session.accessToken}`;
    }
    let result: ApiResult;
    try {
      const response = await fetch(ROUTES[call], { headers, cache: "no-store" });
      const answer = (await response.json()) as { body?: unknown };
      result = { call, route: ROUTES[call], status: response.status, body: answer.body ?? answer };
    } catch (error) {
      result = { call, route: ROUTES[call], status: 0, body: { code: "network_error", description: String(error) } };
    }
    setLastCall(result);
    setCalling(null);
    send(EVENTS.apiResult, result);
  };

  const askHost = (path: ApiPath): void => {
    const request: ActionRequest = { action: "fetch", request: { method: "GET", path, auth: true } };
    send(EVENTS.actionRequest, request);
  };

  const sendMessage = (): void => {
    const request: ActionRequest = { action: "message", text: draft };
    send(EVENTS.actionRequest, request);
  };

  return (
    <div ref={root} className="auth0" style={themeStyle(render?.theme)}>
      <header className="row spread">
        <h2>
          Auth0 component <span className="muted">in {args?.hostName ?? "…"}</span>
        </h2>
        {session === null ? (
          <span className="badge" data-testid="login-state">
            Logged out
          </span>
        ) : (
          <span className="badge on" data-testid="login-state" title={`Token valid until ${expiryText(session.expiresAt)}`}>
            {displayName(session.user)}
          </span>
        )}
      </header>

      {args === null ? (
        <p className="muted">Waiting for the Streamlit host…</p>
      ) : (
        <>
          <section className="row">
            {session === null ? (
              <button type="button" className="primary" onClick={() => popup("login")} disabled={disabled}>
                Log in
              </button>
            ) : (
              <button type="button" onClick={() => popup("logout")} disabled={disabled}>
                Log out
              </button>
            )}
            <span className="muted">
              {session === null
                ? "Opens the sign-in page in a popup."
                : `Token valid until ${expiryText(session.expiresAt)}.`}
            </span>
          </section>
          {note && (
            <p className="message warning" role="alert">
              {note}
            </p>
          )}

          <section>
            <h3>The component calls the API</h3>
            <div className="row">
              <button type="button" onClick={() => callApi("ping")} disabled={calling !== null}>
                Ping
              </button>
              <button type="button" onClick={() => callApi("pong")} disabled={calling !== null}>
                Pong
              </button>
              <button type="button" onClick={() => callApi("pong-scoped")} disabled={calling !== null}>
                Pong (scoped)
              </button>
              <span className="result" data-testid="component-result">
                {calling !== null
                  ? `${calling}…`
                  : lastCall === null
                    ? "no call yet"
                    : `${lastCall.call}: HTTP ${lastCall.status}`}
              </span>
            </div>
          </section>

          <section>
            <h3>The host calls the API for the component</h3>
            <div className="row">
              <button type="button" onClick={() => askHost("/api/pong")} disabled={disabled}>
                Pong via host
              </button>
              <button type="button" onClick={() => askHost("/api/pong-scoped")} disabled={disabled}>
                Pong (scoped) via host
              </button>
            </div>
          </section>

          <section>
            <h3>Messages</h3>
            <div className="row">
              <input
                aria-label="Message to the host"
                value={draft}
                onChange={(event) => setDraft(event.target.value)}
                maxLength={200}
              />
              <button type="button" onClick={sendMessage} disabled={disabled || draft.trim() === ""}>
                Send to host
              </button>
            </div>
            <p className="muted">
              From the host: <span data-testid="host-message">{args.message || "—"}</span>
            </p>
          </section>

          <p className="status">
            Host status: <span data-testid="host-status">{args.status || "—"}</span>
          </p>
        </>
      )}
    </div>
  );
}
