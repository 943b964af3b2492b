// Section 5, the Lua playground: Lua 5.4 and the gaussianreg module compiled
// to WebAssembly ("gaussianreg/lua"), run in a Web Worker (lua-worker.js) so
// that the page stays responsive whatever the script does. Each run gets a
// fresh Lua state. A script is stopped after TIME_LIMIT by the state itself
// (an error with the line it was on); one that catches that error is stopped
// GRACE later by terminating the worker, and the next run gets a new one.
import { $ } from "./plot.js";

const TIME_LIMIT = 3000; // ms
const GRACE = 2000; // ms
const MAX_OUTPUT = 200000; // characters shown
const EXAMPLES = {
  map: "examples/map_regression.lua",
  samples: "examples/prior_samples.lua",
  fit: "examples/fit_hyper.lua",
};

export function initLuaPlayground() {
  const el = {
    section: $("lua"),
    code: $("lua-code"),
    run: $("lua-run"),
    stop: $("lua-stop"),
    out: $("lua-output"),
    status: $("lua-status"),
    error: $("lua-error"),
    errorText: $("lua-error-text"),
    errorLine: $("lua-error-line"),
    example: $("lua-example"),
    load: $("lua-load"),
    build: $("lua-build"),
  };
  let worker = null;
  let current = null; // the run in progress: { id, timer }
  let nextId = 1;
  let output = "";
  let shown = 0; // characters of output on screen
  let raf = 0;

  const setState = (s) => {
    el.section.dataset.state = s;
  };

  function render() {
    raf = 0;
    if (output.length === shown) return;
    if (output.length > MAX_OUTPUT) {
      el.out.textContent = `${output.slice(0, MAX_OUTPUT)}\n… (output cut at ${MAX_OUTPUT} characters)`;
    } else {
      el.out.textContent = output;
    }
    shown = output.length;
    el.out.scrollTop = el.out.scrollHeight;
  }
  const append = (text) => {
    if (output.length <= MAX_OUTPUT) output += text;
    raf ||= requestAnimationFrame(render);
  };

  function showError(message) {
    if (!message) {
      el.error.hidden = true;
      el.errorText.textContent = "";
      el.errorLine.hidden = true;
      return;
    }
    el.errorText.textContent = message;
    el.error.hidden = false;
    const line = /^input:(\d+):/.exec(message)?.[1];
    el.errorLine.hidden = !line;
    if (line) {
      el.errorLine.textContent = `Go to line ${line}`;
      el.errorLine.dataset.line = line;
    }
  }

  function startWorker() {
    worker = new Worker(new URL("./lua-worker.js", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => {
      if (data.type === "ready") {
        el.build.textContent = `Lua 5.4 in WebAssembly, ${data.simd ? "SIMD" : "scalar"} build`;
        return;
      }
      if (data.type === "failed") {
        el.build.textContent = "failed to load";
        return;
      }
      if (!current || data.id !== current.id) return; // from a run that was stopped
      if (data.type === "output") append(data.text);
      else if (data.type === "done") finish(data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      if (current) finish({ ok: false, error: `the Lua worker failed: ${e.message}` });
      restartWorker();
    };
  }

  function restartWorker() {
    worker?.terminate();
    startWorker();
  }

  function busy(on) {
    el.run.disabled = on;
    el.stop.disabled = !on;
    el.code.setAttribute("aria-busy", String(on));
  }

  function finish(r) {
    clearTimeout(current?.timer);
    current = null;
    busy(false);
    render();
    if (r.ok) {
      showError(null);
      const exit = r.exitCode !== undefined ? ` (os.exit(${r.exitCode}))` : "";
      el.status.textContent = `Finished in ${r.ms < 10 ? r.ms.toFixed(1) : Math.round(r.ms)} ms${exit}.`;
      setState("done");
      return;
    }
    showError(r.error);
    const line = /^input:(\d+):/.exec(r.error ?? "")?.[1];
    if (/time limit exceeded/.test(r.error ?? "")) {
      el.status.textContent = `Stopped: the script ran for more than ${TIME_LIMIT / 1000} s` +
        `${line ? ` (it was on line ${line})` : ""}. The page was never blocked; edit and run again.`;
      setState("stopped");
    } else {
      el.status.textContent = line ? `Error on line ${line}.` : "Error.";
      setState("error");
    }
  }

  function run() {
    if (current) return;
    output = "";
    shown = -1;
    render();
    showError(null);
    busy(true);
    setState("running");
    el.status.textContent = "Running…";
    const id = nextId++;
    const timer = setTimeout(() => {
      if (current?.id !== id) return;
      restartWorker();
      finish({
        ok: false,
        error: `Stopped after ${(TIME_LIMIT + GRACE) / 1000} s: the script kept running past the ` +
          `${TIME_LIMIT / 1000} s limit (it catches the limit's error, e.g. with pcall). Its Lua state was ` +
          "discarded; the next run starts afresh.",
      });
      el.status.textContent = "Stopped: the script ignored the time limit; the worker running it was ended.";
      setState("stopped");
    }, TIME_LIMIT + GRACE);
    current = { id, timer };
    worker.postMessage({ id, code: el.code.value, timeLimit: TIME_LIMIT });
  }

  function stop() {
    if (!current) return;
    restartWorker();
    finish({ ok: false, error: "Stopped by you. Its Lua state was discarded; the next run starts afresh." });
    el.status.textContent = "Stopped.";
    setState("stopped");
  }

  async function loadExample() {
    const file = EXAMPLES[el.example.value];
    el.load.disabled = true;
    try {
      const res = await fetch(new URL(file, import.meta.url));
      if (!res.ok) throw new Error(`HTTP ${res.status} for ${file}`);
      el.code.value = await res.text();
      el.status.textContent = `Loaded ${file}; press “Run Lua”.`;
      setState("loaded");
    } catch (e) {
      el.status.textContent = `Could not load ${file}: ${e.message}`;
    } finally {
      el.load.disabled = false;
    }
  }

  // Selects the line of an error in the code box.
  el.errorLine.addEventListener("click", () => {
    const n = Number(el.errorLine.dataset.line);
    const lines = el.code.value.split("\n");
    const start = lines.slice(0, n - 1).reduce((a, l) => a + l.length + 1, 0);
    el.code.focus();
    el.code.setSelectionRange(start, start + (lines[n - 1]?.length ?? 0));
  });
  el.run.addEventListener("click", run);
  el.stop.addEventListener("click", stop);
  el.load.addEventListener("click", loadExample);
  // Ctrl+Enter (Cmd+Enter on a Mac) in the code box runs it.
  el.code.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  });
  startWorker();
  busy(false);
  setState("ready");
}
