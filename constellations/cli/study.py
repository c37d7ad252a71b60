"""The command that runs a trade study, ``study``, and the shipped studies' list."""

from constellations.present.terminal import Progress, say, show


def cmd_study(args) -> int:
    from constellations.io.atomic import check_writable
    from constellations.io.study import read_study
    from constellations.present.study_tables import print_study
    from constellations.study.engine import run_study

    study = read_study(args.study)
    if args.html is not None and args.html != "-":
        check_writable(args.html, "--html")
    with Progress() as progress:
        run = run_study(
            study,
            store=args.store,
            scheduler=args.scheduler,
            resume=args.resume,
            workers=args.workers,
            chunk_size=args.chunk_size,
            progress=progress,
        )
    if args.html:
        from constellations.io.atomic import atomic_write
        from constellations.present.study_page import study_page_html

        with atomic_write(args.html) as out:
            out.write(study_page_html(run.dataset, study, run, _footer(args)))
        say(f"wrote {args.html}")
    print_study(run.dataset, study.file, run)
    return 0


def _footer(args) -> list[tuple[str, str]]:
    """The study page's footer: the package version and the command (no scenario file
    hash: a study reads its base scenario itself)."""
    import shlex

    from constellations.records import provenance_facts, provenance_record

    command = shlex.join(["orbital-dc", *getattr(args, "argv", [])])
    return provenance_facts(provenance_record(command=command))


def show_studies() -> None:
    """The shipped studies, with what each asks, as ``orbital-dc presets`` lists them."""
    from constellations.io.study import study_names, study_text
    from constellations.present.tables import Column, Table

    studies = Table(
        "Studies (run one with: orbital-dc study NAME --store DIR)",
        (Column("name", lambda r: r[0], "left"), Column("what", lambda r: r[1], "left")),
    )
    show(studies, [(n, _first_comment(study_text(n))) for n in study_names()])


def _first_comment(text: str) -> str:
    """A shipped study's opening comment, its description."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").strip())
    return " ".join(lines)
