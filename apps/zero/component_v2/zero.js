// Component Zero, written against Components v2: no iframe, no protocol messages, no build.
// Streamlit calls the default export on every script run with the latest `data`, on the same
// parent element (a shadow root), and keeps what it sends back: a state value (`sent`, kept
// across reruns) and a trigger value (`text`, set for the one rerun it causes).
const MARKUP = `
  <main class="card">
    <header class="card-header">
      <h2 id="greeting">Waiting for Streamlit…</h2>
      <span class="badge" title="Random per mount: stays the same across reruns">
        mount <code id="mount-id"></code>
      </span>
    </header>
    <dl class="props">
      <div><dt>Rerun counter</dt><dd id="rerun-count">–</dd></div>
      <div><dt>Data timestamp</dt><dd id="timestamp">–</dd></div>
      <div><dt>Renders of this mount</dt><dd id="render-count">0</dd></div>
    </dl>
    <form id="send-form" class="send" autocomplete="off">
      <label for="text-input">Say something to Streamlit</label>
      <div class="send-row">
        <input id="text-input" name="text" type="text" placeholder="Type and press Enter">
        <button id="send-button" type="submit">Send</button>
      </div>
      <p id="status" class="status" role="status">Nothing sent yet.</p>
    </form>
  </main>`;

export default function zero({ data, parentElement, setStateValue, setTriggerValue }) {
  let root = parentElement.querySelector(".card");
  if (root === null) {
    const template = document.createElement("template"); // a shadow root has no insertAdjacentHTML
    template.innerHTML = MARKUP;
    parentElement.appendChild(template.content);
    root = parentElement.querySelector(".card");
    root.dataset.renders = "0";
    root.dataset.sent = "0";
    root.querySelector("#mount-id").textContent = Math.random().toString(36).slice(2, 10);
    root.querySelector("#send-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = root.querySelector("#text-input");
      const sent = Number(root.dataset.sent) + 1;
      root.dataset.sent = String(sent);
      setStateValue("sent", sent);
      setTriggerValue("text", input.value);
      root.querySelector("#status").textContent = `Sent ${sent} message${sent === 1 ? "" : "s"}.`;
    });
  }
  const renders = Number(root.dataset.renders) + 1;
  root.dataset.renders = String(renders);
  const show = (id, value) => {
    root.querySelector(id).textContent = value === undefined || value === null ? "–" : String(value);
  };
  show("#greeting", data.greeting || "Component Zero");
  show("#rerun-count", data.rerun_count);
  show("#timestamp", data.timestamp);
  show("#render-count", renders);
}
