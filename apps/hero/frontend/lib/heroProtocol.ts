// The props the Hero host sends and the events the Hero component sends back.

/** Props from apps/hero/app.py (arrive as the render message's `args`). */
export interface HeroArgs {
  hostName: string;
  password: string;
  token: boolean;
  status: string;
  debug: boolean;
}

/** onStatusUpdate: the login state changed or a guess was tried. */
export interface StatusUpdate {
  token: boolean;
  message: string;
}

/** onActionRequest: ask the host to do something ("notify", "echo"); the outcome comes back
 * in the `status` prop. */
export interface ActionRequest {
  action: string;
  props: Record<string, unknown>;
}

/** onError: something went wrong inside the component. */
export interface ErrorReport {
  message: string;
}

export const EVENTS = {
  statusUpdate: "onStatusUpdate",
  actionRequest: "onActionRequest",
  error: "onError",
  /** Not subscribed by the host: for checking that the host reports it as onError. */
  unknown: "onDebugUnknown",
} as const;

/** Read the props defensively: a host may omit some of them. */
export function parseArgs(raw: unknown): HeroArgs {
  const args = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    hostName: typeof args.hostName === "string" ? args.hostName : "Streamlit",
    password: typeof args.password === "string" ? args.password : "",
    token: args.token === true,
    status: typeof args.status === "string" ? args.status : "",
    debug: args.debug === true,
  };
}
