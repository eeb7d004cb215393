"""The `salesdrill` command: parse arguments, pick a driver, turn known errors into one line and exit 2.

Only argparse is imported at start-up, so `salesdrill --help` stays fast; each
command imports what it needs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

__all__ = ["main"]

PROG = "salesdrill"
_EXTRA_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {}  # certification's commands, from build_parser


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not a usage dump
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _add_common(p: argparse.ArgumentParser, top: bool = False) -> None:
    # A command's own copy must not reset what was given before the command
    # (`salesdrill --scenarios DIR practice X`): only the top level has a default.
    default = None if top else argparse.SUPPRESS
    p.add_argument("--lang", choices=("zh", "en"), default=default,
                   help="language of the drill and interface (default: from the locale)")
    p.add_argument("--scenarios", metavar="DIR", default=default,
                   help="a folder of your own personas/scenarios, added to the built-in ones "
                        "(default: $SALESDRILL_SCENARIOS)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Cold-call objection drills: a scripted prospect objects, you reply, "
                    "each reply is scored against the lecture's principles. "
                    "With no command, opens the menu of drills.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    _add_common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("practice", help="practise one drill in the terminal (or from a replies file)",
                       description="Practise a drill. Interactive in a terminal; with --replies (or a pipe on "
                                   "stdin) it plays the replies one per line and prints the turns.")
    p.add_argument("drill", nargs="?", help="drill id (see 'salesdrill list'); without it, the drill that trains "
                                            "your weakest principle, from your history")
    p.add_argument("--trainee", metavar="NAME",
                   help="without a drill: whose certification history to use (default: $SALESDRILL_TRAINEE)")
    _add_common(p)
    p.add_argument("--seed", type=int, default=0, help="seed for the persona's line variants (default 0)")
    p.add_argument("--replies", metavar="FILE", help="play replies from FILE, one per line ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="with replies: print JSON lines (transcript format)")
    p.add_argument("--no-transcript", action="store_true", help="do not write a transcript file")

    s = sub.add_parser("score", help="score replies at a drill's state without running the conversation",
                       description="Score replies (arguments, or one per line on stdin) as answers at the "
                                   "drill's opening state or the given state.")
    s.add_argument("replies", nargs="*", metavar="REPLY")
    s.add_argument("--drill", required=True, help="drill id")
    s.add_argument("--state", help="state id (default: the drill's opening state)")
    s.add_argument("--json", action="store_true", help="one JSON object per reply")
    s.add_argument("--explain", action="store_true", help="show which words matched which cue or exemplar, and near misses")
    _add_common(s)

    v = sub.add_parser("validate", help="check persona and scenario files; every problem as file:line:col",
                       description="Check persona, scenario and principle files (the built-in ones when no "
                                   "path is given). Exit 1 when a problem is found, 2 when a file cannot be read.")
    v.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check")
    _add_common(v)

    te = sub.add_parser("test", help="run the conversation tests written inside scenarios, with coverage",
                        description="Run each scenario's conversation tests; a failure shows the first "
                                    "difference and the conversation as it went, in YAML to paste back.")
    te.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders (default: built-in)")
    _add_common(te)

    ev = sub.add_parser("eval", help="measure the scorer on labelled replies (precision, recall, F1, AUC)",
                        description="Score the project's labelled corpus (or FILE: JSONL or CSV with drill, "
                                    "reply, label and optional principles, anti_patterns, lang, state) and print "
                                    "per-id precision/recall/F1, macro F1, AUC per language and the worst "
                                    "mistakes; held-out replies are reported apart.")
    ev.add_argument("file", nargs="?", metavar="FILE", help="your own labelled replies (default: the built-in corpus)")
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    ev.add_argument("--split", metavar="NAME",
                    help="only the replies of this split, e.g. 'tune' while tuning, so held-out replies stay unseen")
    _add_common(ev)

    g = sub.add_parser("graph", help="draw a drill's state machine (Mermaid, DOT, or SVG/PNG with Graphviz)",
                       description="Draw the drill's states and transitions; ends coloured, edges labelled "
                                   "with the principle or anti-pattern that takes them.")
    g.add_argument("drill", help="drill id")
    g.add_argument("-o", "--output", metavar="FILE", help="write to FILE (format from its extension)")
    g.add_argument("--format", choices=("mermaid", "dot", "svg", "png"),
                   help="output format (default: from -o, else mermaid)")
    _add_common(g)

    x = sub.add_parser("explore", help="play a drill many times with random replies; report what never happens",
                       description="Play the drill with replies drawn from the library's exemplars, "
                                   "anti-patterns and noise; report ends never reached, states never left, "
                                   "endless loops and pass marks never met, each with the seed and replies.")
    x.add_argument("drill", help="drill id")
    x.add_argument("--runs", type=int, default=200, help="how many conversations (default 200)")
    x.add_argument("--seed", type=int, default=0, help="seed of the random replies (default 0)")
    _add_common(x)

    n = sub.add_parser("new", help="write a commented, valid, test-covered scenario skeleton",
                       description="Write DIR/scenarios/DRILL_ID.yaml (DIR: --scenarios, $SALESDRILL_SCENARIOS "
                                   "or the current folder): a valid drill with tests to start from.")
    n.add_argument("drill_id", metavar="DRILL_ID", help="the new drill's id (lower case, digits, _)")
    n.add_argument("--persona", required=True, help="persona id (built-in or in your folder)")
    n.add_argument("--objection", default="not_interested", help="objection id (default not_interested)")
    _add_common(n)

    lst = sub.add_parser("list", help="list the drills by lecture section, with difficulty")
    _add_common(lst)
    lst.add_argument("--json", action="store_true", help="print the drills as JSON")

    from simulator.certification.commands import add_parsers  # argparse definitions only: cheap

    _EXTRA_HANDLERS.update(add_parsers(sub, _add_common))
    return parser


def _lang(args: argparse.Namespace) -> str:
    if getattr(args, "lang", None):
        return args.lang
    from simulator.messages import default_lang

    return default_lang()


def _sources(args: argparse.Namespace) -> list:
    from simulator.loader import builtin_sources, folder_sources

    sources = builtin_sources()
    folder = getattr(args, "scenarios", None) or os.environ.get("SALESDRILL_SCENARIOS")
    if folder:
        sources += folder_sources(folder)
    return sources


def _catalog(args: argparse.Namespace):
    from simulator.catalog_cache import cached_catalog

    catalog = cached_catalog(_sources(args))
    catalog.raise_first_problem()
    return catalog


def _reloaded_catalog(args: argparse.Namespace):
    """The catalog read again from the same places, problems and all (for /restart)."""
    from simulator.catalog_cache import cached_catalog

    return cached_catalog(_sources(args))


def _notifier(scripted: bool, as_json: bool) -> Callable[[str], None]:
    """Where a session factory's notices (a reload on /restart) go: the chat, or stderr beside JSON."""
    if as_json:
        return lambda message: print(message, file=sys.stderr, flush=True)
    if scripted or os.environ.get("NO_COLOR"):
        return lambda message: print(message, flush=True)

    def show(message: str) -> None:
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        from simulator.ui import STYLE

        print_formatted_text(FormattedText([("class:miss", message + "\n")]), style=STYLE, end="")

    return show


def _named_catalog(args: argparse.Namespace):
    """The catalog with the files named on the command line; and the ids of the scenarios they hold."""
    from simulator.loader import load_catalog, sources_from_paths

    named = sources_from_paths(args.paths) if args.paths else []
    catalog = load_catalog(_sources(args) + named)
    paths = {src.path for src in named}
    wanted = [sc.id for sc in catalog.scenarios.values() if not paths or sc.source in paths]
    return catalog, wanted, paths


def _open_replies(path: str):
    from simulator.errors import RepliesFileError

    if path == "-":
        return sys.stdin
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - read lazily, line by line
        handle.read(0)
        return handle
    except UnicodeDecodeError:
        raise RepliesFileError(f"replies file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise RepliesFileError(f"cannot read replies file {path}: {exc.strerror or exc}") from None


def cmd_practice(args: argparse.Namespace) -> int:
    from simulator.drivers import SessionFactory, iter_replies, json_sink, stdin_is_terminal
    from simulator.stopping import exit_status

    catalog = _catalog(args)
    lang = _lang(args)
    scripted = args.replies is not None or not stdin_is_terminal()
    if args.drill is None:  # adaptive practice: the drill that trains the weakest principle
        from simulator.certification.adaptive import confirm, propose

        args.drill = propose(catalog, lang, args.trainee, sys.stderr if args.json else sys.stdout).scenario.id
        if not scripted and not confirm(lang):
            return 0
    catalog.drill(args.drill)
    sinks = (json_sink(sys.stdout),) if (scripted and args.json) else ()
    factory = SessionFactory(catalog, args.drill, lang, args.seed,
                             write_transcript=not args.no_transcript, extra_sinks=sinks,
                             reload=lambda: _reloaded_catalog(args), notify=_notifier(scripted, args.json))
    if scripted:
        from simulator.scripted import run_scripted

        stream = _open_replies(args.replies or "-")
        try:
            result = run_scripted(factory, _decoded(iter_replies(stream), args.replies or "-"), sys.stdout,
                                  args.json)
        finally:
            if stream is not sys.stdin:
                stream.close()
        return exit_status(result.stopped_by)
    from simulator.ui import run_interactive

    return exit_status(run_interactive(factory).stopped_by)  # 128 + N after signal N (SIGHUP: 129)


def _decoded(replies, path: str):
    from simulator.errors import RepliesFileError

    try:
        yield from replies
    except UnicodeDecodeError:
        raise RepliesFileError(f"replies file {path} is not UTF-8 text") from None


def cmd_menu(args: argparse.Namespace) -> int:
    from simulator.drivers import SessionFactory, stdin_is_terminal
    from simulator.errors import UsageError

    if not stdin_is_terminal():
        raise UsageError("the menu needs a terminal; use 'salesdrill practice DRILL --replies FILE' in scripts")
    from simulator.stopping import exit_status
    from simulator.ui import choose_drill, next_drill, run_interactive

    catalog = _catalog(args)
    lang = _lang(args)
    suggested = catalog.ordered()[0] if catalog.scenarios else None
    while True:
        chosen = choose_drill(catalog, lang, suggested)
        if chosen is None:
            return 0
        factory = SessionFactory(catalog, chosen.id, lang, seed=0, reload=lambda: _reloaded_catalog(args),
                                 notify=_notifier(False, False))
        result = run_interactive(factory)
        if result.stopped_by in ("SIGHUP", "SIGTERM", "terminal_lost"):  # no one is left to see the menu
            return exit_status(result.stopped_by)
        suggested = next_drill(catalog, chosen, result.outcome == "success")


def cmd_score(args: argparse.Namespace) -> int:
    import json

    from scoring.rubric import score_match
    from simulator.errors import UnknownIdError
    from simulator.explain import explain_lines, score_record

    catalog = _catalog(args)
    scenario = catalog.drill(args.drill)
    state_id = args.state or scenario.start
    if state_id not in scenario.states:
        raise UnknownIdError("state", state_id, scenario.states)
    state = scenario.states[state_id]
    lang = _lang(args)
    replies = args.replies or (line.rstrip("\r\n") for line in sys.stdin)
    for reply in replies:
        if not reply.strip():
            continue
        result = score_match(catalog.matcher.match(reply), state.expect, catalog.library)
        record = score_record(reply, result, scenario, state_id, lang, catalog.library)
        if args.json:
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print("\n".join(explain_lines(reply, result, catalog.library, lang, args.explain)), flush=True)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from simulator.static_checks import rule_findings, unused_principles

    catalog, wanted, paths = _named_catalog(args)
    problems = [p for p in catalog.problems if not paths or p.path in paths or p.path.startswith(
        tuple(f"{x.rstrip('/')}/" for x in args.paths))]
    for problem in problems:
        print(problem.one_line())
    errors = 0
    for sid in wanted:
        scenario = catalog.scenarios[sid]
        for finding in rule_findings(scenario, catalog.library):
            line, column = scenario.where("states", finding.state, "on", finding.rule)
            kind = "" if finding.severity == "error" else "warning: "
            print(f"{scenario.source}:{line}:{column}: {kind}{finding.message}")
            errors += finding.severity == "error"
    if not args.paths:
        for pid in unused_principles(catalog.scenarios.values(), catalog.library):
            print(f"warning: principle '{pid}' is not expected by any drill")
    if any(p.unreadable for p in problems):
        return 2
    if problems or errors:
        print(f"{len(problems) + errors} problem(s) found", file=sys.stderr)
        return 1
    personas = [p for p in catalog.personas.values() if not paths or p.source in paths]
    print(f"ok: {len(wanted)} scenario(s), {len(personas)} persona(s), "
          f"{len(catalog.library.ids)} principles checked")
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from simulator.convtest import run_test
    from simulator.coverage import coverage_of

    catalog, wanted, _paths = _named_catalog(args)
    catalog.raise_first_problem()
    failed = total = 0
    for sid in wanted:
        scenario = catalog.scenarios[sid]
        outcomes = [run_test(catalog, scenario, test) for test in scenario.tests]
        for outcome in outcomes:
            total += 1
            if outcome.passed:
                print(f"PASS {sid}: {outcome.test.name}")
                continue
            failed += 1
            print(f"FAIL {sid}: {outcome.test.name}\n     {outcome.difference}\n"
                  f"     as it went (paste over the test in {scenario.source} to make this the expectation):")
            print(outcome.actual_yaml.rstrip())
        cov = coverage_of(scenario, (o.summary.turns for o in outcomes))
        print(f"     coverage {sid}: states {cov.states_reached}/{cov.states_total}, "
              f"transitions {cov.transitions_reached}/{cov.transitions_total}")
        if cov.missed_states:
            print(f"     never reached: {', '.join(cov.missed_states)}")
        for edge in cov.missed_transitions:
            print(f"     never taken: {edge}")
    print(f"{total - failed} passed, {failed} failed")
    return 1 if failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    import json

    from simulator.evalrun import (
        builtin_corpus,
        read_labelled,
        reports,
        summary_json,
        write_reports,
    )
    from simulator.loader import load_catalog

    sources = _sources(args)
    catalog = load_catalog(sources)
    catalog.raise_first_problem()
    if args.file:
        handle = _open_replies(args.file)
        with handle:
            rows = read_labelled(handle, args.file)
    else:
        rows = builtin_corpus()
    if args.split:
        from simulator.errors import UsageError

        known = sorted({row.split for row in rows})
        rows = [row for row in rows if row.split == args.split]
        if not rows:
            raise UsageError(f"no replies in split '{args.split}' (splits here: {', '.join(known)})")
    current = reports(rows, catalog)
    baseline = None
    note = ""
    if any(src.kind == "library" for src in sources):
        plain = load_catalog([src for src in sources if src.kind != "library"])
        own = sorted({row.drill for row in rows if row.drill and row.drill not in plain.scenarios})
        if own:  # drills that use principles of the trainer's own cannot be scored without them
            note = ("(not compared with the built-in library, which cannot score drills that use "
                    f"your own principles: {', '.join(own)})\n")
        else:
            baseline = reports(rows, plain)
    if args.json:
        print(json.dumps(summary_json(current, catalog), ensure_ascii=False, indent=2))
    else:
        print(f"salesdrill eval: {len(rows)} labelled replies, principle library {catalog.library.version}")
        sys.stdout.write(note)
        write_reports(sys.stdout, current, catalog, baseline)
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    import shutil
    import subprocess

    from simulator.errors import StorageError, UsageError
    from simulator.graph import to_dot, to_mermaid

    scenario = _catalog(args).drill(args.drill)
    fmt = args.format
    if fmt is None and args.output:
        ext = os.path.splitext(args.output)[1].lower()
        fmt = {".dot": "dot", ".gv": "dot", ".svg": "svg", ".png": "png"}.get(ext, "mermaid")
    fmt = fmt or "mermaid"
    if fmt == "mermaid":
        data: bytes = to_mermaid(scenario).encode()
    elif fmt == "dot":
        data = to_dot(scenario).encode()
    else:
        if not shutil.which("dot"):
            raise UsageError(f"{fmt.upper()} needs Graphviz's 'dot' program; install graphviz, or use --format dot or mermaid")
        data = subprocess.run(["dot", f"-T{fmt}"], input=to_dot(scenario).encode(), capture_output=True,
                              check=True).stdout
    if not args.output:
        if fmt == "png":
            raise UsageError("PNG is binary: give -o FILE.png")
        sys.stdout.write(data.decode())
        return 0
    try:
        with open(args.output, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise StorageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"wrote {args.output} ({fmt})")
    return 0


def cmd_explore(args: argparse.Namespace) -> int:
    from simulator.errors import UsageError
    from simulator.explore import explore

    if not 1 <= args.runs <= 100_000:
        raise UsageError("--runs must be between 1 and 100000")
    catalog = _catalog(args)
    scenario = catalog.drill(args.drill)
    lang = _lang(args)
    result = explore(catalog, scenario, lang, args.runs, args.seed)
    reached = ", ".join(f"{end} ×{n}" for end, n in sorted(result.ends.items(), key=lambda kv: -kv[1]))
    print(f"{scenario.id} ({lang}): {args.runs} runs, seed {args.seed}; ends reached: {reached or 'none'}")
    for finding in result.findings:
        print(f"  {finding.kind}: {finding.message}")
        if finding.seed is not None:
            print(f"    replay: salesdrill practice {scenario.id} --lang {lang} --seed {finding.seed} --replies FILE")
            for reply in finding.replies:
                print(f"      {reply}")
    if not result.findings:
        print("  no findings")
    return 1 if result.findings else 0


def cmd_new(args: argparse.Namespace) -> int:
    from simulator.errors import StorageError, UnknownIdError, UsageError
    from simulator.loader import OBJECTIONS
    from simulator.skeleton import ID_PATTERN, skeleton

    if not ID_PATTERN.match(args.drill_id):
        raise UsageError(f"drill id '{args.drill_id}' must be lower case letters, digits and _, starting with a letter")
    if args.scenarios and not os.path.exists(args.scenarios):
        try:
            os.makedirs(args.scenarios)
        except OSError as exc:
            raise StorageError(f"cannot create {args.scenarios}: {exc.strerror or exc}") from None
    catalog = _catalog(args)
    if args.drill_id in catalog.scenarios:
        raise UsageError(f"a drill '{args.drill_id}' already exists ({catalog.scenarios[args.drill_id].source})")
    if args.persona not in catalog.personas:
        raise UnknownIdError("persona", args.persona, catalog.personas)
    if args.objection not in OBJECTIONS:
        raise UnknownIdError("objection", args.objection, OBJECTIONS)
    folder = os.path.join(args.scenarios or os.environ.get("SALESDRILL_SCENARIOS") or ".", "scenarios")
    path = os.path.join(folder, f"{args.drill_id}.yaml")
    try:
        os.makedirs(folder, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(skeleton(args.drill_id, args.persona, args.objection))
    except FileExistsError:
        raise UsageError(f"{path} already exists; not overwriting it") from None
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path}\nnext: salesdrill validate {path} && salesdrill test {path}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    import json

    from simulator.messages import section_title, t

    catalog = _catalog(args)
    lang = _lang(args)
    drills = catalog.ordered()
    if args.json:
        print(json.dumps([{"id": d.id, "title": d.title.get(lang), "section": d.section,
                           "difficulty": d.difficulty, "objection": d.objection} for d in drills],
                         ensure_ascii=False, indent=2))
        return 0
    from simulator.render import pad

    section = None
    for d in drills:
        if d.section != section:
            section = d.section
            print(f"\n{section_title(section, lang)}")
        print(f"  {pad(d.id, 20)} {pad(d.title.get(lang), 30)} {t('difficulty', lang)} {'★' * d.difficulty}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from simulator.version import __version__

        print(f"{PROG} {__version__}")
        return 0
    handlers = {"practice": cmd_practice, "score": cmd_score, "list": cmd_list, "validate": cmd_validate,
                "test": cmd_test, "eval": cmd_eval, "graph": cmd_graph, "new": cmd_new, "explore": cmd_explore, None: cmd_menu}
    handlers.update(_EXTRA_HANDLERS)
    from simulator.errors import SalesdrillError

    try:
        return handlers[args.command](args)
    except SalesdrillError as exc:
        sys.stdout.flush()
        print(f"{PROG}: error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
