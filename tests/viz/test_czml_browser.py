"""The plan's CZML in CesiumJS: headless Chromium loads it into a ``Cesium.Viewer``, offline.

CesiumJS comes from its npm package (``cesium``, ``Build/Cesium`` only), which the
announced step of the README's test command (``sh tools/install-test-browser``) puts in
``.test-deps/cesium`` (ignored by git); Chromium comes from the same step.  A test never
installs either: without them this test is skipped with one line naming the step, and
under CI (``CI=true``) it fails with that line.  The page is served from this process on
127.0.0.1 and Chromium resolves no other host, so a request to Cesium ion or any imagery
server would fail and show as a console error.  The viewer's base layer is the Natural
Earth II imagery that ships with CesiumJS (``Assets/Textures/NaturalEarthII``), as
docs/design.md says to open the file; no geocoder and no ion token.

What it proves: CesiumJS reads the file without error into as many entities as the
document has packets (less the preamble); it places a satellite, at a sample and between
samples (its Lagrange interpolation of the Earth-fixed samples), where Skyfield puts it;
it shows at the epoch the links the document says close then; the viewer renders frames
with WebGL (SwiftShader) without a render error, over imagery that needs no token.
"""

import functools
import http.server
import json
import re
import subprocess
import threading

import numpy as np
import pytest
from helpers import CZML_SCENARIO, INSTALL_TEST_BROWSER, ROOT, under_ci
from skyfield.api import EarthSatellite
from skyfield.framelib import itrs

#: Where the announced install step puts CesiumJS's built files.
CESIUM_BUILD = ROOT / ".test-deps" / "cesium" / "Build" / "Cesium"
NO_CESIUM = (
    f"CesiumJS is not installed in {CESIUM_BUILD.relative_to(ROOT)}: run {INSTALL_TEST_BROWSER} "
    "to enable the CZML browser test"
)

#: Chromium with software WebGL (SwiftShader) and no host but this one.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=800,600",
    "--virtual-time-budget=30000",
]

#: Satellite checked, and the time between samples where Cesium interpolates it, s.
SATELLITE = 13
BETWEEN_S = 1234.5
#: The file holds positions to 0.1 m; Lagrange degree 7 over samples 60 s apart on a
#: 96-minute orbit errs by about (2 pi 60 / 5760)^8 / 8! of the radius, far below a
#: millimetre; Cesium's float64 arithmetic adds nothing visible.  So 1 m at a sample and
#: between samples.
POSITION_TOL_M = 1.0

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<script src="Cesium/Cesium.js"></script>
<link href="Cesium/Widgets/widgets.css" rel="stylesheet">
</head><body>
<div id="viewer" style="width:800px;height:500px"></div>
<pre id="result">pending</pre>
<script>
const out = document.getElementById("result");
const report = (value) => { out.textContent = JSON.stringify(value); };
window.onerror = (message) => report({error: String(message)});
(async () => {
  try {
    const viewer = new Cesium.Viewer("viewer", {
      baseLayer: Cesium.ImageryLayer.fromProviderAsync(
        Cesium.TileMapServiceImageryProvider.fromUrl(
          Cesium.buildModuleUrl("Assets/Textures/NaturalEarthII"))),
      baseLayerPicker: false, geocoder: false, timeline: false,
      animation: false, homeButton: false, sceneModePicker: false,
      navigationHelpButton: false, fullscreenButton: false, infoBox: false,
      selectionIndicator: false,
    });
    let renderError = null;
    viewer.scene.renderError.addEventListener((scene, error) => { renderError = String(error); });
    const layer = viewer.imageryLayers.get(0);
    const imagery = layer.ready ? "ready" : await new Promise((resolve) => {
      layer.readyEvent.addEventListener(() => resolve("ready"));
      layer.errorEvent.addEventListener((error) => resolve("error: " + error));
    });
    const source = await Cesium.CzmlDataSource.load("plan.czml");
    await viewer.dataSources.add(source);
    const epoch = viewer.clock.startTime;
    const at = (seconds) => Cesium.JulianDate.addSeconds(epoch, seconds, new Cesium.JulianDate());
    const satellite = source.entities.getById("sat/SATELLITE");
    const xyz = (time) => {
      const p = satellite.position.getValue(time);
      return [p.x, p.y, p.z];
    };
    const links = source.entities.values.filter((e) => e.id.startsWith("link/"));
    viewer.clock.currentTime = at(BETWEEN);
    viewer.render();
    viewer.clock.currentTime = epoch;
    viewer.render();
    report({
      entities: source.entities.values.length,
      webgl: viewer.scene.context.webgl2 ? 2 : 1,
      frame: satellite.position.referenceFrame,
      atEpoch: xyz(epoch),
      between: xyz(at(BETWEEN)),
      linksShownAtEpoch: links.filter((e) => e.polyline.show.getValue(epoch)).length,
      clockSeconds: Cesium.JulianDate.secondsDifference(viewer.clock.stopTime, epoch),
      renderError: renderError,
      imagery: imagery,
    });
  } catch (error) {
    report({error: String(error && error.stack || error)});
  }
})();
</script></body></html>
"""


def find_cesium(build=None):
    """CesiumJS's Build/Cesium folder, installed by the announced step (never here); a
    skip with :data:`NO_CESIUM` where it is missing, a failure under CI."""
    build = CESIUM_BUILD if build is None else build
    if not (build / "Cesium.js").is_file():
        if under_ci():
            pytest.fail(NO_CESIUM, pytrace=False)
        pytest.skip(NO_CESIUM)
    return build


@pytest.fixture(scope="module")
def cesium():
    return find_cesium()


def test_without_cesiumjs_the_test_skips_with_one_line_naming_the_step(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        find_cesium(tmp_path)
    assert "\n" not in skipped.value.msg and INSTALL_TEST_BROWSER in skipped.value.msg


def test_under_ci_missing_cesiumjs_is_a_failure(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as failed:
        find_cesium(tmp_path)
    assert not failed.value.pytrace and INSTALL_TEST_BROWSER in failed.value.msg


@pytest.fixture(scope="module")
def site(tmp_path_factory, cesium):
    """A folder holding the page, the plan's CZML and a link to CesiumJS, and the plan."""
    from constellations.io.scenario import load_scenario
    from constellations.planner import plan
    from constellations.present.czml import write_plan_czml

    folder = tmp_path_factory.mktemp("cesium-site")
    scenario = folder / "w53.toml"
    scenario.write_text(CZML_SCENARIO)
    planned = plan(load_scenario(str(scenario)), stages=("resolve",))
    result = write_plan_czml(planned, folder / "plan.czml")
    (folder / "Cesium").symlink_to(cesium, target_is_directory=True)
    page = PAGE.replace("SATELLITE", str(SATELLITE)).replace("BETWEEN", repr(BETWEEN_S))
    (folder / "index.html").write_text(page)
    return folder, planned, result


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site):
    """The site on http://127.0.0.1:PORT/ from a thread of this process."""
    folder = site[0]
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()
    thread.join()


def test_cesium_loads_the_plans_czml_into_a_viewer(chromium, served, site, tmp_path, ts):
    _, planned, result = site
    run = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", served],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r'<pre id="result">(.*?)</pre>', run.stdout, re.S)
    assert found, run.stdout[-2000:]
    loaded = json.loads(found.group(1).replace("&quot;", '"'))
    for key in ("atEpoch", "between"):
        loaded[key] = np.asarray(loaded[key]) if key in loaded else None
    assert "error" not in loaded, loaded
    console_errors = [
        line
        for line in run.stderr.splitlines()
        if "CONSOLE" in line and ("Uncaught" in line or "Error" in line or "Failed" in line)
    ]
    assert not console_errors, console_errors
    assert loaded["renderError"] is None and loaded["webgl"] in (1, 2)
    assert loaded["imagery"] == "ready"  # Natural Earth II, shipped with CesiumJS

    assert loaded["entities"] == result.entities == 1 + 24 + 1 + result.links
    period_s = 60.0 * planned.resolved[0].period_min
    assert loaded["clockSeconds"] == pytest.approx(period_s, abs=1e-3)
    assert loaded["frame"] == 0  # Cesium.ReferenceFrame.FIXED

    satellite = EarthSatellite.from_satrec(planned.resolved[0].walker.satrec(SATELLITE), ts)
    want = satellite.at(ts.utc(2027, 1, 1, 0, 0, [0.0, BETWEEN_S])).frame_xyz(itrs).m.T
    print(
        f"Cesium: {loaded['entities']} entities, WebGL {loaded['webgl']}; satellite "
        f"{SATELLITE} off Skyfield by {np.linalg.norm(loaded['atEpoch'] - want[0]):.3f} m at "
        f"the epoch, {np.linalg.norm(loaded['between'] - want[1]):.3f} m at {BETWEEN_S} s"
    )
    np.testing.assert_allclose(loaded["atEpoch"], want[0], rtol=0, atol=POSITION_TOL_M)
    np.testing.assert_allclose(loaded["between"], want[1], rtol=0, atol=POSITION_TOL_M)

    document = json.loads(result.document.dumps())
    shows = [p["polyline"]["show"] for p in document if p["id"].startswith("link/")]
    closed_at_epoch = sum(show is True or show[0]["boolean"] for show in shows)
    assert any(show is not True for show in shows)  # some open and close over the orbit
    assert loaded["linksShownAtEpoch"] == closed_at_epoch > 0
