// The Streamlit custom-component protocol (version 1) spoken over postMessage, without
// streamlit-component-lib (which pins React 16).

export interface StreamlitTheme {
  base: "light" | "dark";
  primaryColor: string;
  backgroundColor: string;
  secondaryBackgroundColor: string;
  textColor: string;
  font: string;
}

/** A `streamlit:render` message: `args` holds the host's props. */
export interface RenderMessage {
  args: Record<string, unknown>;
  disabled: boolean;
  theme?: StreamlitTheme;
}

type Outgoing =
  | { type: "streamlit:componentReady"; apiVersion: 1 }
  | { type: "streamlit:setComponentValue"; value: unknown; dataType: "json" }
  | { type: "streamlit:setFrameHeight"; height: number };

function post(message: Outgoing): void {
  if (typeof window !== "undefined" && window.parent !== window) {
    window.parent.postMessage({ isStreamlitMessage: true, ...message }, "*");
  }
}

/** Listen for render messages, then announce readiness; returns the unsubscribe function. */
export function connect(onRender: (message: RenderMessage) => void): () => void {
  const listener = (event: MessageEvent): void => {
    const data: unknown = event.data;
    if (typeof data !== "object" || data === null) {
      return;
    }
    const message = data as { type?: unknown; args?: unknown; disabled?: unknown; theme?: StreamlitTheme };
    if (message.type !== "streamlit:render" || typeof message.args !== "object" || message.args === null) {
      return;
    }
    onRender({
      args: message.args as Record<string, unknown>,
      disabled: message.disabled === true,
      theme: message.theme,
    });
  };
  window.addEventListener("message", listener);
  post({ type: "streamlit:componentReady", apiVersion: 1 });
  return () => window.removeEventListener("message", listener);
}

let sent = 0;

/** Send `{event, data, id}` as the component value (the host dispatches each id once);
 * returns the id. */
export function sendEvent(event: string, data: unknown): string {
  sent += 1;
  const id = `${Date.now().toString(36)}-${sent}`;
  post({ type: "streamlit:setComponentValue", value: { event, data, id }, dataType: "json" });
  return id;
}

/** Keep the iframe as tall as `element`; returns the function that stops watching. */
export function followHeight(element: HTMLElement): () => void {
  let last = -1;
  const update = (): void => {
    const height = Math.ceil(element.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      post({ type: "streamlit:setFrameHeight", height });
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(element);
  update();
  return () => observer.disconnect();
}
