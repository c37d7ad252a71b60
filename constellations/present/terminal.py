"""The terminal: tables drawn with rich, progress on stderr (bars on a terminal, lines in logs).

A table is laid out for the width it is drawn at (the terminal's, ``COLUMNS`` when set,
120 columns off a terminal): no cell text is ever cut.  Headings wrap between words and
cells between their words; when even that is too wide, the columns a table marks as
optional (:attr:`constellations.present.tables.Column.drop_order`) are left out with a
note, and failing that the table is stacked, one record per block.
"""

import os
import sys
import time

#: Width of the output off a terminal (logs, pipes) when ``COLUMNS`` is not set.
OFF_TERMINAL_WIDTH = 120


def console(stderr: bool = False):
    """A rich console as wide as the terminal; ``COLUMNS``, when set, says how wide, and off a
    terminal (logs, pipes) it is otherwise :data:`OFF_TERMINAL_WIDTH` columns."""
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not out.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
        out.width = OFF_TERMINAL_WIDTH
    out.on_broken_pipe = _broken_pipe  # rich would exit 1; the command line says 141
    return out


def _broken_pipe() -> None:
    raise BrokenPipeError("the reader closed the output")


def _border_width(n_columns: int) -> int:
    """Characters a rich table with its default box and padding adds to ``n_columns`` cells'
    text: one rule between columns and at each edge, one blank each side of every cell."""
    return 3 * n_columns + 1


def _longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for word in text.split()), default=0)


def _wrapped_lines(text: str, width: int) -> int:
    """Lines ``text`` takes wrapped between words at ``width``, as rich wraps it (greedily)."""
    from rich.cells import cell_len

    lines, used = 1, 0
    for word in text.split():
        n = cell_len(word)
        if used and used + 1 + n > width:
            lines, used = lines + 1, n
        else:
            used += n + (1 if used else 0)
    return lines


def column_widths(headings, rows, width: int) -> list[int] | None:
    """The text width of each column, so that the table is at most ``width`` characters wide
    with no word cut; None when even one word per line does not fit.

    Each column is at least its longest word (heading or cell).  What is left is given,
    a few characters at a time, where it shortens the table most per character: first
    its rows, then its heading row, then the lines of its cells.
    """
    from rich.cells import cell_len

    columns = zip(*rows, strict=True) if rows else [()] * len(headings)
    texts = [[h, *cells] for h, cells in zip(headings, columns, strict=True)]
    least = [max([1, *(_longest_word(t) for t in column)]) for column in texts]
    spare = width - _border_width(len(headings)) - sum(least)
    if spare < 0:
        return None
    widths = list(least)
    full = [
        max([w, *(cell_len(t) for t in column)]) for w, column in zip(least, texts, strict=True)
    ]
    cache: dict = {}

    def lines(k: int, w: int) -> list[int]:
        if (k, w) not in cache:
            cache[k, w] = [_wrapped_lines(t, w) for t in texts[k]]
        return cache[k, w]

    def length(per_column) -> int:
        heights = [max(row) for row in zip(*per_column, strict=True)]
        return 10_000 * sum(heights[1:]) + 100 * heights[0] + sum(map(sum, per_column))

    current = [lines(k, w) for k, w in enumerate(widths)]
    while spare > 0:
        best = None  # (shortening per character, column, its new width)
        for k, w in enumerate(widths):
            for wider in range(w + 1, min(full[k], w + spare) + 1):
                if sum(lines(k, wider)) < sum(current[k]):  # the column's next shorter width
                    trial = current[:k] + [lines(k, wider)] + current[k + 1 :]
                    gain = (length(current) - length(trial)) / (wider - w)
                    if best is None or gain > best[0]:
                        best = (gain, k, wider)
                    break
        if best is None:
            break
        _, k, wider = best
        spare -= wider - widths[k]
        widths[k] = wider
        current[k] = lines(k, wider)
    return widths


def rich_table(table, items, notes=()):
    """``table`` (a :class:`constellations.present.tables.Table`) of ``items``, with ``notes``
    under it, as a rich renderable laid out for the width it is drawn at (see the module)."""
    return FittedTable(table, items, notes)


class FittedTable:
    """A table's rows, laid out when drawn: the columns that fit, then the notes.

    At the console's width every column is at least its longest word, so numbers are
    never cut: headings and cells wrap between words.  When the columns cannot all be
    that wide, the optional ones are left out, lowest ``drop_order`` first, and a note
    names them; when the rest still cannot, the table is stacked: one block per row, a
    line per column.
    """

    def __init__(self, table, items, notes=()):
        self.title = table.title
        self.columns = table.columns
        self.rows = table.rows(items)
        self.notes = list(notes)

    def layout(self, width: int) -> tuple[list[int], list[int] | None, list[int]]:
        """``(columns kept, their widths, columns left out)`` at ``width``; widths are None
        when the table is stacked."""
        kept = list(range(len(self.columns)))
        optional = sorted(
            (c.drop_order, k) for k, c in enumerate(self.columns) if c.drop_order is not None
        )
        left_out = []
        widths = self._widths(kept, width)
        while widths is None and optional:
            _, k = optional.pop(0)
            kept.remove(k)
            left_out.append(k)
            widths = self._widths(kept, width)
        if widths is None:  # stacked: every column, one per line
            return list(range(len(self.columns))), None, []
        return kept, widths, left_out

    def _widths(self, kept, width):
        headings = [self.columns[k].heading for k in kept]
        return column_widths(headings, [[row[k] for k in kept] for row in self.rows], width)

    def __rich_console__(self, console, options):
        from rich.text import Text

        from constellations.present.tables import plural

        width = options.max_width
        kept, widths, left_out = self.layout(width)
        notes = list(self.notes)
        if widths is None:
            yield self._stacked(width)
        else:
            yield self._table(kept, widths)
        if left_out:
            names = ", ".join(self.columns[k].heading for k in left_out)
            notes.append(
                f"{plural(len(left_out), 'column')} left out at {width} columns ({names}); "
                "widen the terminal or use --json"
            )
        for note in notes:
            yield Text(note, style="table.caption")

    def _table(self, kept, widths):
        from rich.table import Table
        from rich.text import Text

        drawn = Table(title=Text(self.title, style="table.title"))
        for k, width in zip(kept, widths, strict=True):
            column = self.columns[k]
            drawn.add_column(
                Text(column.heading), justify=column.align, width=width, overflow="fold"
            )
        for row in self.rows:
            drawn.add_row(*(Text(row[k]) for k in kept))
        return drawn

    def _stacked(self, width):
        """One block per row: a line per column, its heading then its text (a column
        without a heading heads the block with its text)."""
        from rich.table import Table
        from rich.text import Text

        blocks = []
        for row in self.rows:
            block = []
            for column, text in zip(self.columns, row, strict=True):
                block.append((column.heading, text) if column.heading else (text, ""))
            blocks.append(block)
        lines = [pair for block in blocks for pair in block]
        widths = column_widths(("", ""), lines, width) or (None, None)
        drawn = Table(title=Text(self.title, style="table.title"), show_header=False)
        for column_width in widths:
            drawn.add_column(width=column_width, overflow="fold")
        for b, block in enumerate(blocks):
            for key, text in block:
                drawn.add_row(Text(key), Text(text))
            if b < len(blocks) - 1:
                drawn.add_section()
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
