"""A probe of the report pages in headless Chromium: it scrolls the page and reads back.

For the browser tests and ``benchmarks/bench_report.py``.  Chromium is driven over
the DevTools protocol on a pipe (``--remote-debugging-pipe``: no port, no network, no
driver package), in real time: under ``--dump-dom``'s virtual time headless Chromium
stops producing frames after the first, so a scrolled page never tells its
IntersectionObserver that a figure came into view.  :func:`probe_page` opens the page
at a window size, runs :data:`_PROBE` in it and returns what it found:

- ``widths``: at the first paint, with every ``<details>`` opened, the viewport's
  width, the page's scroll width, how many tables, and those that do not fit (``wide``:
  a table wider than its box or reaching past the viewport);
- ``headline``: each headline card's ``data-json-path``, ``data-value``, shown value
  (``text``) and right edge (``width``, CSS px from the page's left) at the first paint;
- ``asked_before_scroll``: figures asked for before any scrolling (those in view);
- ``figures``: after scrolling through the page, most of a screen at a time and
  waiting at each stop until what came into view had drawn, each figure's marks
  (:data:`viz.report._RUNTIME`): ``visible``, ``drawn``, ``draw`` (ms) and ``error``;
- ``print_images`` (with ``print_images=True``): 3D scenes replaced by an image after a
  ``beforeprint`` event and ``orbitalDc.preparePrint()``;
- ``marks``: the page's marks on <body> (``firstPaintMs``, ``figuresDrawn``, ...);
- ``errors``: uncaught exceptions and console errors;
- ``evaluated`` (with ``evaluate={name: expression}``): what each expression gave;
- ``pdf`` (with ``pdf=True``): the page printed by Chromium, after the rest (bytes);
- ``screenshots`` (with ``screenshots={name: selector}``): after all that, a PNG (bytes)
  of the window scrolled to the element each CSS selector names (``None``: the top).
"""

import json
import os
import subprocess
import tempfile
import time

#: Chromium's flags for a quiet, offline, software-rendered headless run.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
)

_PROBE = """
(async function (printImages) {
  "use strict";
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function frames() {
    return new Promise(function (r) {
      requestAnimationFrame(function () { requestAnimationFrame(r); });
    });
  }
  function figures() {
    return Array.prototype.slice.call(
      document.querySelectorAll("div.plotly-graph-div[data-figure]"));
  }
  function widths() {
    var opened = [];
    Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"),
      function (d) { d.open = true; opened.push(d); });
    var viewport = document.documentElement.clientWidth;
    var tables = document.querySelectorAll("table");
    var wide = [];
    Array.prototype.forEach.call(tables, function (table, k) {
      var box = table.getBoundingClientRect();
      var holder = table.parentNode;
      if (box.right > viewport + 0.5 || holder.scrollWidth > holder.clientWidth + 0.5) {
        var caption = table.querySelector("caption");
        wide.push({"table": k, "caption": caption ? caption.textContent : "",
          "width": Math.round(box.width)});
      }
    });
    var result = {"viewport": viewport, "page": document.documentElement.scrollWidth,
      "tables": tables.length, "wide": wide};
    opened.forEach(function (d) { d.open = false; });
    return result;
  }
  function pending() {
    return figures().filter(function (d) {
      return d.dataset.visibleMs && !d.dataset.drawnMs && !d.dataset.renderError;
    }).length;
  }
  while (!document.body.dataset.firstPaintMs) { await sleep(20); }
  var found = {"widths": widths()};
  found.headline = Array.prototype.map.call(
    document.querySelectorAll(".headline-card[data-json-path]"), function (card) {
      return {"path": card.dataset.jsonPath, "value": card.dataset.value,
        "text": card.querySelector(".headline-value").textContent,
        "width": Math.round(card.getBoundingClientRect().right)};
    });
  await frames();
  await sleep(100);
  found.asked_before_scroll = figures().filter(function (d) {
    return d.dataset.visibleMs; }).length;
  var y = 0;
  for (;;) {
    await frames();
    while (pending()) { await sleep(20); }
    var bottom = document.documentElement.scrollHeight - window.innerHeight;
    if (y >= bottom) { break; }
    y = Math.min(y + Math.round(window.innerHeight * 0.8), bottom);
    window.scrollTo(0, y);
  }
  found.figures = figures().map(function (d) {
    return {"id": d.id, "visible": Number(d.dataset.visibleMs),
      "drawn": Number(d.dataset.drawnMs), "draw": Number(d.dataset.drawMs),
      "error": d.dataset.renderError || null};
  });
  if (printImages) {
    window.dispatchEvent(new Event("beforeprint"));
    found.details_closed_in_print = document.querySelectorAll("details:not([open])").length;
    await window.orbitalDc.preparePrint();
    found.print_images = Array.prototype.map.call(
      document.querySelectorAll("img.figure-print"),
      function (image) { return image.src.slice(0, 22); });
  }
  found.marks = Object.assign({}, document.body.dataset);
  return found;
})
"""


class ProbeError(RuntimeError):
    """Chromium could not open or probe the page; the message says what happened."""


class _Pipe:
    """The DevTools protocol over Chromium's ``--remote-debugging-pipe`` (fds 3 and 4,
    messages as JSON each ended by a NUL byte)."""

    def __init__(self, chromium: str, flags: list[str]):
        import fcntl

        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Above 9, so that neither end is fd 3 or 4 itself when the shell moves them there.
        for name in ("to_browser_r", "from_browser_w"):
            fd = locals()[name]
            moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
            os.close(fd)
            if name == "to_browser_r":
                to_browser_r = moved
            else:
                from_browser_w = moved
        command = (
            f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w} '
            f"{to_browser_r}<&- {from_browser_w}>&-"
        )
        self.process = subprocess.Popen(
            ["bash", "-c", command, chromium, *flags, "--remote-debugging-pipe"],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("PAGE_PROBE_DEBUG") else subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None):
        """Send a command and wait for its answer (events that come first are kept)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise ProbeError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout_s: float):
        """Wait for the event ``method`` (or one already received)."""
        deadline = time.monotonic() + timeout_s
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                raise ProbeError(f"no {method} within {timeout_s:g} s")
            self.events.append(self._read())

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise ProbeError("Chromium closed the DevTools pipe (it exited)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (ProbeError, OSError):
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


def probe_page(
    chromium: str,
    url: str,
    *,
    width: int = 1280,
    height: int = 800,
    print_images: bool = False,
    screenshots: dict | None = None,
    evaluate: dict | None = None,
    pdf: bool = False,
    timeout_s: float = 180.0,
) -> dict:
    """Open ``url`` in headless ``chromium`` at ``width`` x ``height`` CSS px, scroll it
    through and return the probe's findings (module docstring).  ``evaluate`` maps names
    to JavaScript expressions run after the probe, in order (a promise is awaited); their
    values (JSON) come back under ``evaluated``, before any screenshot is taken.  With
    ``pdf`` the page is then printed as Chromium prints it (``Page.printToPDF``, A4, the
    page's print stylesheet) into ``pdf`` (bytes).  Raises
    :class:`ProbeError` when the browser fails or the probe does not finish in
    ``timeout_s``."""
    import base64
    import threading

    with tempfile.TemporaryDirectory(prefix="page-probe-") as profile:
        flags = [*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"]
        pipe = _Pipe(chromium, flags)
        timer = threading.Timer(timeout_s, pipe.process.kill)
        timer.start()
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log"):
                pipe.send(f"{domain}.enable", session=session)
            pipe.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            pipe.send("Page.navigate", {"url": url}, session=session)
            pipe.wait_for("Page.loadEventFired", timeout_s)
            reply = pipe.send(
                "Runtime.evaluate",
                {
                    "expression": f"({_PROBE})({'true' if print_images else 'false'})",
                    "awaitPromise": True,
                    "returnByValue": True,
                },
                session=session,
            )
            evaluated = {}
            for name, expression in (evaluate or {}).items():
                answer = pipe.send(
                    "Runtime.evaluate",
                    {"expression": expression, "awaitPromise": True, "returnByValue": True},
                    session=session,
                )
                if "exceptionDetails" in answer:
                    details = answer["exceptionDetails"]
                    raise ProbeError(
                        f"{name} failed: "
                        f"{details.get('exception', details).get('description', details)}"
                    )
                evaluated[name] = answer["result"].get("value")
            printed = None
            if pdf:
                printed = base64.b64decode(
                    pipe.send(
                        "Page.printToPDF",
                        {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True},
                        session=session,
                    )["data"]
                )
            images = {}
            for name, selector in (screenshots or {}).items():
                pipe.send(
                    "Runtime.evaluate",
                    {
                        "expression": _SCROLL_TO % json.dumps(selector),
                        "awaitPromise": True,
                        "returnByValue": True,
                    },
                    session=session,
                )
                shot = pipe.send("Page.captureScreenshot", {"format": "png"}, session=session)
                images[name] = base64.b64decode(shot["data"])
        except ProbeError as error:
            if not timer.is_alive():
                raise ProbeError(f"the probe did not finish within {timeout_s:g} s") from error
            raise
        finally:
            timer.cancel()
            pipe.close()
    if "exceptionDetails" in reply:
        details = reply["exceptionDetails"]
        raise ProbeError(
            f"the probe failed: {details.get('exception', details).get('description', details)}"
        )
    found = reply["result"]["value"]
    found["errors"] = _errors(pipe.events)
    found["evaluated"] = evaluated
    found["pdf"] = printed
    found["screenshots"] = images
    return found


#: Scrolls to the element a CSS selector names (JSON ``null``: the top), then waits two frames.
_SCROLL_TO = """
(async function (selector) {
  if (selector === null) { window.scrollTo(0, 0); }
  else { document.querySelector(selector).scrollIntoView({block: "center"}); }
  await new Promise(function (r) {
    requestAnimationFrame(function () { requestAnimationFrame(r); });
  });
  await new Promise(function (r) { setTimeout(r, 300); });
  return true;
})(%s)
"""


def _errors(events: list[dict]) -> list[str]:
    """Uncaught exceptions, ``console.error`` calls and error log entries."""
    errors = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            errors.append(details.get("exception", {}).get("description") or details["text"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            errors.append(
                " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
            )
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            errors.append(params["entry"].get("text", ""))
    return errors
