"""The terminal: tables drawn with rich, progress on stderr (bars on a terminal, lines in logs)."""

import sys
import time


def console(stderr: bool = False):
    """A rich console; off a terminal (logs, pipes) 120 columns wide so tables do not wrap."""
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not out.is_terminal:
        out.width = 120
    out.on_broken_pipe = _broken_pipe  # rich would exit 1; the command line says 141
    return out


def _broken_pipe() -> None:
    raise BrokenPipeError("the reader closed the output")


def rich_table(table, items, notes=()):
    """``table`` (a :class:`constellations.present.tables.Table`) of ``items`` as a rich Table."""
    from rich.table import Table

    drawn = Table(title=table.title, caption="\n".join(notes) or None, caption_justify="left")
    for column in table.columns:
        drawn.add_column(column.heading, justify=column.align)
    for row in table.rows(items):
        drawn.add_row(*row)
    return drawn


def show(table, items, notes=()) -> None:
    """Print ``table`` of ``items`` on stdout, with ``notes`` under it."""
    console().print(rich_table(table, items, notes))


def say(message: str) -> None:
    """One line on stderr, for what was written where (as written: no rich markup)."""
    console(stderr=True).print(message, markup=False, soft_wrap=True)


class Progress:
    """Progress of the planner's stages on stderr.

    On a terminal: a rich bar per stage.  Elsewhere (logs, CI): one line when a
    stage starts and one when it ends, with its time.  Call
    ``progress(stage, advance, total)`` from the work (the signature
    :func:`constellations.planner.plan` takes); ``progress.advance(n)`` when
    there is one stage.
    """

    def __init__(self, first_stage: str | None = None, total: int = 0):
        self._interactive = sys.stderr.isatty()
        self._tasks: dict = {}
        self._bars = None
        self._first = first_stage
        self._started: dict = {}
        self._done: dict = {}
        if first_stage is not None:
            self._pending = (first_stage, total)
        else:
            self._pending = None

    def __enter__(self):
        if self._interactive:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as Bars

            self._bars = Bars(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console(stderr=True),
                transient=True,
            )
            self._bars.__enter__()
        if self._pending:
            self._start(*self._pending)
        return self

    def _start(self, stage: str, total: int) -> None:
        self._started[stage] = time.perf_counter()
        self._done[stage] = 0
        if self._bars is not None:
            self._tasks[stage] = self._bars.add_task(stage, total=total)
        else:
            print(f"orbital-dc: {stage} ...", file=sys.stderr, flush=True)

    def __call__(self, stage: str, advance: int, total: int) -> None:
        if stage not in self._started:
            self._finish_others(stage)
            self._start(stage, total)
        self._done[stage] += advance
        if self._bars is not None:
            self._bars.advance(self._tasks[stage], advance)
        elif self._done[stage] >= total:
            self._end(stage)

    def advance(self, amount: int) -> None:
        total = self._pending[1] if self._pending else 0
        self(self._first, amount, total)

    def _end(self, stage: str) -> None:
        if self._bars is None and stage in self._started:
            seconds = time.perf_counter() - self._started.pop(stage)
            print(f"orbital-dc: {stage} done in {seconds:.1f} s", file=sys.stderr, flush=True)

    def _finish_others(self, stage: str) -> None:
        for other in list(self._started):
            if other != stage:
                self._end(other)

    def __exit__(self, *exc):
        if self._bars is not None:
            return self._bars.__exit__(*exc)
        return False
