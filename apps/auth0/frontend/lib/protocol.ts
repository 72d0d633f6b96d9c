// The props the Auth0 host (apps/auth0/app.py) sends and the events the component sends back.
import type { SessionUser } from "./session";

/** Props, arriving as the render message's `args`. */
export interface Auth0Args {
  hostName: string;
  /** The host's status line (what it made of the last event). */
  status: string;
  /** A message typed in the host for the component (host -> component messaging). */
  message: string;
  /** The id of the last event the host dispatched: the acknowledgement for the event queue. */
  handled: string;
}

export function parseArgs(raw: Record<string, unknown>): Auth0Args {
  const text = (value: unknown, fallback = ""): string => (typeof value === "string" ? value : fallback);
  return {
    hostName: text(raw.hostName, "Streamlit"),
    status: text(raw.status),
    message: text(raw.message),
    handled: text(raw.handled),
  };
}

export const EVENTS = {
  statusUpdate: "onStatusUpdate",
  actionRequest: "onActionRequest",
  apiResult: "onApiResult",
  error: "onError",
} as const;

/** onStatusUpdate: every login, logout and expiry (and the state found at start-up). */
export type StatusUpdate =
  | { status: "logged_in"; user: SessionUser; accessToken: string; expiresAt: number; scope: string }
  | { status: "logged_out" | "expired"; reason: string };

/** The Flask routes the host may call for the component. */
export type ApiPath = "/api/ping" | "/api/pong" | "/api/pong-scoped";

/** onActionRequest: a web request for the host to make (with the bearer token it holds), or a
 * message for the host to show. */
export type ActionRequest =
  | { action: "fetch"; request: { method: "GET"; path: ApiPath; auth: boolean } }
  | { action: "message"; text: string };

/** onApiResult: the answer of an API call the component made itself. */
export interface ApiResult {
  call: "ping" | "pong" | "pong-scoped";
  route: string;
  status: number;
  body: unknown;
}
