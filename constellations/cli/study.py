"""The command that runs a trade study: ``study``."""

from constellations.present.terminal import Progress, say


def cmd_study(args) -> int:
    from constellations.cli.commands import _check_targets
    from constellations.io.study import read_study
    from constellations.present.study_tables import print_study
    from constellations.study.engine import run_study

    study = read_study(args.study)
    _check_targets(html=args.html)
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
            out.write(study_page_html(run.dataset, study, run))
        say(f"wrote {args.html}")
    print_study(run.dataset, study.file, run)
    return 0
