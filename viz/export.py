"""Static PNG and SVG copies of figures, through Kaleido and a local Chrome or Chromium.

Kaleido (plotly's image exporter) drives a Chrome it finds on the machine;
nothing is downloaded here.  Where none is installed the error says how to
get one (Debian: ``apt-get install chromium``; or set ``BROWSER_PATH``).
"""

import re
from pathlib import Path

IMAGE_FORMATS = ("png", "svg")
#: Pixel scale of PNG exports (2: sharp on high-density screens and in slides).
PNG_SCALE = 2


class ExportError(ValueError):
    """A figure could not be exported; the message says what to change (CLI exit 2)."""


def figure_file_names(headings: list[str], image_format: str) -> list[str]:
    """File names for figures from their headings: ``01-shells-in-3d.png`` and so on."""
    names = []
    for index, heading in enumerate(headings, start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-") or "figure"
        names.append(f"{index:02d}-{slug}.{image_format}")
    return names


def write_images(
    figures: list[tuple[str, object]], folder, image_format: str, progress=None
) -> list[Path]:
    """Write each ``(heading, figure)`` into ``folder`` as PNG or SVG; returns the paths.

    Animated figures are exported as their first frame.  Files appear only
    once every figure has been drawn: a failure leaves no partial set behind.
    ``progress(1)``, when given, is called as each figure is drawn.
    """
    if image_format not in IMAGE_FORMATS:
        raise ExportError(f"image format {image_format!r}: use one of {', '.join(IMAGE_FORMATS)}")
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError(f"{folder}: no such folder; create it or give another for the figures")
    names = figure_file_names([h for h, _ in figures], image_format)
    images = _render([f for _, f in figures], image_format, progress)
    paths = [folder / name for name in names]
    temporaries = [path.with_name(f".{path.name}.partial") for path in paths]
    try:
        for temporary, data in zip(temporaries, images, strict=True):
            temporary.write_bytes(data)
        for temporary, path in zip(temporaries, paths, strict=True):
            temporary.replace(path)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
    return paths


def _render(figures: list, image_format: str, progress=None) -> list[bytes]:
    """The figures as image bytes, in one browser session.

    The session runs on its own event loop in a worker thread, so this works
    from scripts and from notebooks (whose loop is already running) alike.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        import kaleido
    except ImportError as error:
        raise ExportError("PNG/SVG export needs kaleido: pip install 'kaleido>=1'") from error
    from kaleido.errors import ChromeNotFoundError

    async def draw_all() -> list[bytes]:
        images = []
        async with kaleido.Kaleido(n=1) as browser:
            for figure in figures:
                options = _options(figure, image_format)
                images.append(await browser.calc_fig(figure.to_dict(), opts=options))
                if progress:
                    progress(1)
        return images

    try:
        with ThreadPoolExecutor(max_workers=1) as worker:
            return worker.submit(asyncio.run, draw_all()).result()
    except ChromeNotFoundError as error:
        raise ExportError(
            "PNG/SVG export needs Chrome or Chromium on this machine: install it "
            "(Debian: apt-get install chromium) or point BROWSER_PATH at one"
        ) from error
    except Exception as error:  # the browser is another program: any failure of it ends here
        raise ExportError(
            f"the browser failed while drawing the figures ({_first_line(error)}); "
            "check that Chrome or Chromium starts, or set BROWSER_PATH to one that does"
        ) from error


def _first_line(error: BaseException) -> str:
    """The first line of an error's message (choreographer passes a tuple of lines)."""
    parts = list(error.args)
    while parts:
        part = parts.pop(0)
        if isinstance(part, (tuple, list)):
            parts[:0] = list(part)
        elif str(part).strip():
            return str(part).strip().splitlines()[0]
    return type(error).__name__


def _options(figure, image_format: str) -> dict:
    return {
        "format": image_format,
        "scale": PNG_SCALE if image_format == "png" else 1,
        "width": figure.layout.width or 1100,
        "height": figure.layout.height or 450,
    }
