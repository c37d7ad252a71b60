"""Issue 14: the browser the tests need is installed by an announced step, never by a test.

The README's test command and ``.ci/run`` run ``sh tools/install-test-browser``; the
tests only look Chromium up (:func:`helpers.skip_browser_tests` at collection,
:func:`helpers.find_test_browser` in the ``chromium`` fixture).  Without it the browser
tests are skipped with one line saying how to enable them, except under CI, where that
line fails them.  The lookup is replaced here in-process: nothing is
uninstalled.
"""

import re
import shutil

import pytest
from helpers import INSTALL_TEST_BROWSER, ROOT, find_test_browser, skip_browser_tests


@pytest.fixture
def no_browser(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)


@pytest.mark.parametrize("ci", [None, "", "false", "0", "no"])
def test_without_a_browser_the_tests_skip_with_one_line_saying_how_to_enable_them(
    no_browser, monkeypatch, ci
):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception) as skipped:
        find_test_browser()
    reason = skipped.value.msg
    assert "\n" not in reason and INSTALL_TEST_BROWSER in reason


@pytest.mark.parametrize("ci", ["true", "TRUE", "1", "yes"])
def test_under_ci_a_missing_browser_is_a_failure_not_a_skip(no_browser, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception) as failed:
        find_test_browser()
    assert not failed.value.pytrace  # the line alone, no traceback
    assert "\n" not in failed.value.msg and INSTALL_TEST_BROWSER in failed.value.msg


class Item:
    """What :func:`skip_browser_tests` reads of a collected test."""

    def __init__(self, *fixturenames):
        self.fixturenames = fixturenames
        self.markers = []

    def add_marker(self, marker):
        self.markers.append(marker)


def test_without_a_browser_the_browser_tests_are_marked_skipped_alike(no_browser, monkeypatch):
    """Marked alike, pytest folds their skips into one line per module."""
    monkeypatch.delenv("CI", raising=False)
    browser, indirect, other = Item("chromium", "tmp_path"), Item("compared", "chromium"), Item()
    skip_browser_tests([browser, indirect, other])
    assert other.markers == []
    for item in (browser, indirect):
        (marker,) = item.markers
        assert marker.name == "skip" and INSTALL_TEST_BROWSER in marker.kwargs["reason"]
    assert browser.markers[0].kwargs == indirect.markers[0].kwargs


def test_under_ci_the_browser_tests_are_left_to_fail(no_browser, monkeypatch):
    monkeypatch.setenv("CI", "true")
    browser = Item("chromium")
    skip_browser_tests([browser])
    assert browser.markers == []


def test_a_browser_on_the_path_is_used(monkeypatch):
    found = {"chromium-browser": "/opt/test/chromium-browser"}
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: found.get(name))
    monkeypatch.setenv("CI", "true")
    assert find_test_browser() == "/opt/test/chromium-browser"


def test_the_install_step_is_announced_in_the_readme_and_in_ci():
    script = ROOT / INSTALL_TEST_BROWSER.split()[-1]
    assert script.is_file()
    readme_test_command = next(
        line for line in (ROOT / "README.md").read_text().splitlines() if "-m pytest" in line
    )
    ci_command = next(
        line for line in (ROOT / ".ci" / "run").read_text().splitlines() if "-m pytest" in line
    )
    for command in (readme_test_command, ci_command):
        assert command.index(INSTALL_TEST_BROWSER) < command.index("-m pytest"), command


#: What installing software from a test would take: the package managers, and kaleido's
#: own Chrome downloader.
INSTALLERS = re.compile(r"apt-get|\bapt install|\bdpkg\b|get_chrome|pip install (?!-e)")


def test_no_test_installs_anything():
    this = __file__.rsplit("/", 1)[-1]
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.name != this
        for line in path.read_text().splitlines()
        if INSTALLERS.search(line)
    ]
    assert found == []
