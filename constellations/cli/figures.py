"""The ``--figures DIR`` option of ``plan``, ``report`` and ``compare``: its folder checked
before any work, and the figures written into it as images; and the plan's HTML report."""

import os
from pathlib import Path

from constellations.errors import ExportError
from constellations.present.tables import plural
from constellations.present.terminal import Progress, say


def check_figures_folder(folder) -> None:
    """Refuse, before any work, a ``--figures`` folder that can be neither written into nor
    made (``ExportError``): a missing folder is made when the figures are written, one level
    deep, so its parent must exist."""
    if folder is None:
        return
    if folder == "":
        raise ExportError("--figures '': an empty folder name; give a folder, such as .")
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise ExportError(f"--figures {folder}: is a file, not a folder; give a folder")
    where = path if path.is_dir() else path.parent
    if not path.is_dir() and not where.is_dir():
        raise ExportError(
            f"--figures {folder}: folder {where} does not exist; create it first, or give a "
            "folder inside an existing one"
        )
    if not os.access(where, os.W_OK | os.X_OK):
        doing = "write into" if where == path else f"make {path.name} in"
        raise ExportError(
            f"--figures {folder}: cannot {doing} folder {where} (permission denied); choose a "
            "folder you can write to"
        )


def write_figures(figures, folder, image_format) -> None:
    """The figures as images into ``folder``, made if missing (and removed again, empty,
    if the images cannot be made: no browser, say, which is an ExportError, exit 2)."""
    from viz.export import ExportError as ImageError
    from viz.export import write_images

    path = Path(folder)
    made = not path.is_dir()
    path.mkdir(exist_ok=True)
    try:
        with Progress("figures as images", len(figures)) as progress:
            paths = write_images(figures, path, image_format, progress=progress.advance)
    except BaseException as exc:
        if made and not any(path.iterdir()):
            path.rmdir()
        if isinstance(exc, ImageError):
            raise ExportError(f"--figures {folder}: {exc}") from None
        raise
    made_note = " (a new folder)" if made else ""
    say(f"{plural(len(paths), 'figure')} written to {folder}{made_note} as {image_format}")


def write_pages(plan, html_path, figures_folder, figure_format, provenance) -> None:
    """The figures into ``figures_folder`` and the report into ``html_path`` (either may
    be None), ``provenance`` (the plan JSON's provenance record) in its footer."""
    from constellations.present.report import plan_figures, write_plan_report
    from constellations.records import provenance_facts

    figures = plan_figures(plan)
    if figures_folder:  # before the report: a browser failure then leaves no report
        write_figures(figures, figures_folder, figure_format)
    if html_path:
        write_plan_report(plan, html_path, figures, provenance_facts(provenance))
        say(f"HTML report written to {html_path}")
