// {{ cookiecutter.title }}: speaks the Streamlit component protocol v1 directly (no library).
// In: "streamlit:render" messages carry the Python props as `args`.
// Out: componentReady, setFrameHeight, and setComponentValue with an event envelope
// {event, data, id} that ComponentHost (the package's _host.py) dispatches once per id.
(() => {
  "use strict";

  const root = document.getElementById("root");
  const button = document.getElementById("click");
  let clicks = 0;
  let sent = 0;
  let lastHeight = -1;

  function post(type, fields) {
    window.parent.postMessage({ isStreamlitMessage: true, type, ...fields }, "*");
  }

  function sendEvent(event, data) {
    sent += 1;
    const id = `${Date.now().toString(36)}-${sent}`;
    post("streamlit:setComponentValue", { value: { event, data, id }, dataType: "json" });
  }

  function fitHeight() {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      post("streamlit:setFrameHeight", { height });
    }
  }

  function applyTheme(theme) {
    if (!theme) return;
    const style = document.documentElement.style;
    if (theme.primaryColor) style.setProperty("--primary", theme.primaryColor);
    if (theme.backgroundColor) style.setProperty("--bg", theme.backgroundColor);
    if (theme.textColor) style.setProperty("--text", theme.textColor);
    if (theme.font) style.setProperty("--font", theme.font);
  }

  window.addEventListener("message", (event) => {
    const message = event.data;
    if (event.source !== window.parent || !message || message.type !== "streamlit:render") return;
    try {
      const args = message.args || {};
      applyTheme(message.theme);
      document.getElementById("greeting").textContent = String(args.greeting ?? "");
      button.disabled = Boolean(message.disabled);
      root.setAttribute("aria-busy", "false");
      fitHeight();
    } catch (error) {
      sendEvent("onError", `render failed: ${error}`);
    }
  });

  button.addEventListener("click", () => {
    clicks += 1;
    document.getElementById("clicks").textContent = String(clicks);
    sendEvent("onClick", { clicks });
  });

  new ResizeObserver(fitHeight).observe(document.documentElement);
  post("streamlit:componentReady", { apiVersion: 1 });
})();
