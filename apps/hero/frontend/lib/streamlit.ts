// The Streamlit custom-component protocol, version 1, spoken directly over postMessage
// (streamlit-component-lib pins React 16, so it is not used).
// In: "streamlit:render" messages carry the Python props as `args`.
// Out: componentReady, setFrameHeight, and setComponentValue carrying an event envelope
// {event, data, id} that the Python host (ComponentHost) dispatches once per id.
//
// One source: stcomp's templates/_shared/streamlit.ts. `stcomp scaffold` copies it into each
// component it makes; the stcomp repository's own apps keep byte-identical copies (a test
// checks them), so change it there and copy it over.

/** The theme Streamlit sends with every render message. */
export interface StreamlitTheme {
  base: "light" | "dark";
  primaryColor: string;
  backgroundColor: string;
  secondaryBackgroundColor: string;
  textColor: string;
  font: string;
}

/** A `streamlit:render` message: `args` holds the host's props (`key` and `default` too). */
export interface RenderMessage<Args = Record<string, unknown>> {
  args: Args;
  disabled: boolean;
  theme?: StreamlitTheme;
}

/** What the host reads back: each event has an id, so it is dispatched exactly once. */
export interface EventEnvelope<Data = unknown> {
  event: string;
  data: Data;
  id: string;
}

type Outgoing =
  | { type: "streamlit:componentReady"; apiVersion: 1 }
  | { type: "streamlit:setComponentValue"; value: unknown; dataType: "json" }
  | { type: "streamlit:setFrameHeight"; height: number };

function post(message: Outgoing): void {
  if (typeof window === "undefined" || window.parent === window) {
    return; // not inside a Streamlit iframe (e.g. the page opened on its own)
  }
  window.parent.postMessage({ isStreamlitMessage: true, ...message }, "*");
}

/** Listen for render messages from the host, then announce readiness (in that order, so the
 * first render is not missed); returns the function that stops listening. */
export function connect<Args = Record<string, unknown>>(
  onRender: (message: RenderMessage<Args>) => void,
): () => void {
  const listener = (event: MessageEvent): void => {
    const body: unknown = event.data;
    if (event.source !== window.parent || typeof body !== "object" || body === null) {
      return;
    }
    const message = body as { type?: unknown; args?: unknown; disabled?: unknown; theme?: StreamlitTheme };
    if (message.type !== "streamlit:render" || typeof message.args !== "object" || message.args === null) {
      return;
    }
    onRender({ args: message.args as Args, disabled: message.disabled === true, theme: message.theme });
  };
  window.addEventListener("message", listener);
  post({ type: "streamlit:componentReady", apiVersion: 1 });
  return () => window.removeEventListener("message", listener);
}

let sent = 0;

/** Send `{event, data, id}` as the component's value (the host reruns its script and
 * dispatches each id once); returns the id. */
export function sendEvent<Data = unknown>(event: string, data: Data): string {
  sent += 1;
  const envelope: EventEnvelope<Data> = { event, data, id: `${Date.now().toString(36)}-${sent}` };
  post({ type: "streamlit:setComponentValue", value: envelope, dataType: "json" });
  return envelope.id;
}

/** Keep the iframe as tall as the document around `element`: its own height plus every margin
 * and padding above and below it (the body's included), so nothing is clipped; returns the
 * function that stops following it. */
export function fitFrameHeight(element: HTMLElement): () => void {
  let last = -1;
  const update = (): void => {
    const below = parseFloat(getComputedStyle(element).marginBottom) || 0;
    const body = getComputedStyle(document.body);
    const tail = (parseFloat(body.marginBottom) || 0) + (parseFloat(body.paddingBottom) || 0);
    const bottom = element.getBoundingClientRect().bottom + window.scrollY + below + tail;
    const height = Math.ceil(Math.max(bottom, document.body.scrollHeight));
    if (height !== last) {
      last = height;
      post({ type: "streamlit:setFrameHeight", height });
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(element);
  observer.observe(document.body);
  update();
  return () => observer.disconnect();
}

/** Follow Streamlit's theme through the CSS variables --primary, --bg, --text and --font. */
export function applyTheme(theme: StreamlitTheme | undefined): void {
  if (theme === undefined) {
    return;
  }
  const style = document.documentElement.style;
  const vars: Record<string, string | undefined> = {
    "--primary": theme.primaryColor,
    "--bg": theme.backgroundColor,
    "--text": theme.textColor,
    "--font": theme.font,
  };
  for (const [name, value] of Object.entries(vars)) {
    if (value) {
      style.setProperty(name, value);
    }
  }
}
