"""The certification commands on the `salesdrill` command line: argparse definitions here, work in the handlers.

Only argparse is touched at import, so `salesdrill --help` stays fast; each
handler imports what it needs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["add_parsers"]

Handler = Callable[[argparse.Namespace], int]


def add_parsers(sub: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> dict[str, Handler]:
    """Add certify, verify, export, grade, history and report to `sub`; return their handlers by name."""
    c = sub.add_parser("certify", help="run a certification exam (a suite of drills) and write a signed certificate",
                       description="Run the drills of a suite under exam conditions: no hints, no model answer, "
                                   "no feedback until the end, the suite's fixed seed and time limit. Every finished "
                                   "turn is committed to the results database at once; an interrupted exam is "
                                   "stored as an incomplete attempt and cannot be resumed. Interactive in a "
                                   "terminal; with --replies (or a pipe) one reply per line, '/next' gives up a "
                                   "drill, '/quit' stops.")
    c.add_argument("--trainee", required=True, metavar="NAME", help="who is being certified")
    c.add_argument("--suite", default="default", metavar="NAME|FILE",
                   help="a built-in suite, DIR/suites/NAME.yaml under --scenarios, or a suite file (default: default)")
    c.add_argument("--replies", metavar="FILE", help="play replies from FILE, one per line ('-' for stdin)")
    c.add_argument("-o", "--output", metavar="FILE", help="certificate file (default: in the data folder)")
    c.add_argument("--quiet", action="store_true", help="with replies: print only the result lines")
    _add_db(c)
    add_common(c)

    v = sub.add_parser("verify", help="check a certificate's signature and re-grade it with the current scorer",
                       description="Exit 0: intact, and the current scorer gives the same result. Exit 1: intact, "
                                   "but re-grading now gives a different result (an older scorer or drill file). "
                                   "Exit 2: unreadable, tampered with, or signed with another key; when the "
                                   "results database holds the attempt, the values changed are named.")
    v.add_argument("certificate", metavar="CERT", help="certificate file (.json)")
    v.add_argument("--json", action="store_true", help="print the verdict as JSON")
    _add_db(v)
    add_common(v)

    e = sub.add_parser("export", help="export certification results as xAPI statements or CSV",
                       description="Write results from the database: --xapi as a JSON array of xAPI 1.0.3 "
                                   "statements for a learning record store, --csv one row per drill per attempt.")
    fmt = e.add_mutually_exclusive_group(required=True)
    fmt.add_argument("--xapi", action="store_true", help="xAPI 1.0.3 statements (JSON array)")
    fmt.add_argument("--csv", action="store_true", help="CSV, one row per drill per attempt")
    e.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    e.add_argument("--trainee", metavar="NAME", help="only this trainee's attempts")
    e.add_argument("--suite", metavar="ID", help="only this suite's attempts")
    e.add_argument("--homepage", default="https://salesdrill.invalid", metavar="URL",
                   help="base IRI for activity ids and the actor's account homePage (default: %(default)s)")
    _add_db(e)

    g = sub.add_parser("grade", help="re-score transcripts or certificates in bulk; write a CSV and a JSON summary",
                       description="Re-score each transcript (.jsonl) or certificate (.json) with the current "
                                   "scorer, with a progress bar; write one CSV row per drill and a JSON summary.")
    g.add_argument("files", nargs="+", metavar="FILE", help="transcripts or certificates (folders are searched)")
    g.add_argument("--csv", dest="csv_path", default="grades.csv", metavar="FILE", help="default: %(default)s")
    g.add_argument("--json", dest="json_path", default="grades.json", metavar="FILE", help="default: %(default)s")
    g.add_argument("--pass-mark", type=int, metavar="N", help="pass mark for transcripts (default: the drill's)")
    g.add_argument("--skip-bad", action="store_true", help="grade the readable files and list the others")
    add_common(g)

    h = sub.add_parser("history", help="attempts over time, pass rate and the principles missed most",
                       description="Without --trainee: every trainee in one table. With it: that trainee's "
                                   "attempts, a chart of their scores, and the principles they miss most.")
    h.add_argument("--trainee", metavar="NAME", help="one trainee")
    h.add_argument("--suite", metavar="ID", help="only this suite")
    h.add_argument("--json", action="store_true", help="print the figures as JSON")
    _add_db(h)
    add_common(h)

    r = sub.add_parser("report", help="write a self-contained HTML report of a certificate or a trainee",
                       description="An HTML file with no scripts and no outside links: the per-drill table, a "
                                   "per-principle bar chart and the transcript (a certificate), or the attempts "
                                   "and chart of a trainee. In --lang; a certificate's report defaults to the "
                                   "language of the exam.")
    r.add_argument("certificate", nargs="?", metavar="CERT", help="certificate file")
    r.add_argument("--trainee", metavar="NAME", help="report on a trainee's attempts instead")
    r.add_argument("--suite", metavar="ID", help="with --trainee: only this suite's attempts")
    r.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    _add_db(r)
    add_common(r)
    return {"certify": cmd_certify, "verify": cmd_verify, "export": cmd_export, "grade": cmd_grade,
            "history": cmd_history, "report": cmd_report}


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="FILE",
                   help="results database (default: $SALESDRILL_DB, else results.sqlite3 in the data folder)")


def _warn(message: str) -> None:
    print(f"salesdrill: warning: {message}", file=sys.stderr)


def _trainee(name: str) -> str:
    from simulator.errors import UsageError

    name = name.strip()
    if not name or len(name) > 100 or any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name):
        raise UsageError("--trainee must be a name of 1 to 100 printable characters")
    return name


def cmd_certify(args: argparse.Namespace) -> int:
    from simulator.certification.keys import load_key
    from simulator.certification.runner import run_exam
    from simulator.certification.store import Store
    from simulator.certification.suite import load_suite, resolve_suite
    from simulator.cli import _catalog, _decoded, _lang
    from simulator.drivers import iter_replies, stdin_is_terminal

    trainee = _trainee(args.trainee)
    catalog = _catalog(args)
    suite, warnings = load_suite(resolve_suite(args.suite, _scenarios_folder(args)), catalog)
    for warning in warnings:
        _warn(warning)
    lang = _lang(args)
    key = load_key()  # before the exam: a bad key must not cost an attempt
    scripted = args.replies is not None or not stdin_is_terminal()
    # A replies file is read whole first, so an unreadable one costs no attempt; a pipe is
    # read a line at a time, as the exam asks (it may be a person typing, or a test).
    replies = _read_replies(args.replies) if args.replies not in (None, "-") else None
    with Store.open(args.db, check=True) as store:
        if scripted:
            from simulator.certification.exam_scripted import ScriptedExamIO

            lines = replies if replies is not None else _decoded(iter_replies(sys.stdin), "-")
            io = ScriptedExamIO(lines, sys.stdout, lang, quiet=args.quiet)
            result = run_exam(catalog, suite, trainee, lang, store, io, key, certificate_path=args.output)
        else:
            from simulator.certification.exam_ui import TerminalExamIO

            result = run_exam(catalog, suite, trainee, lang, store, TerminalExamIO(lang), key,
                              certificate_path=args.output)
    if args.quiet:
        verdict = "passed" if result.passed else "failed"
        print(f"{trainee}: {suite.id} attempt {result.number} {result.status}, score {result.score}, {verdict}")
        print(f"certificate: {result.certificate}")
    return 0


def _read_replies(path: str) -> list[str]:
    import io

    from simulator.cli import _open_replies
    from simulator.drivers import iter_replies
    from simulator.errors import RepliesFileError

    stream = _open_replies(path)
    try:
        text = stream.read()
    except UnicodeDecodeError:
        raise RepliesFileError(f"replies file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise RepliesFileError(f"cannot read replies file {path}: {exc.strerror or exc}") from None
    finally:
        stream.close()
    return list(iter_replies(io.StringIO(text)))


def _scenarios_folder(args: argparse.Namespace) -> str | None:
    import os

    return getattr(args, "scenarios", None) or os.environ.get("SALESDRILL_SCENARIOS")


def cmd_verify(args: argparse.Namespace) -> int:
    import json

    from simulator.certification.store import default_db_path
    from simulator.certification.verify import verify_certificate
    from simulator.cli import _catalog

    verdict = verify_certificate(args.certificate, _catalog(args), db_path=args.db or default_db_path())
    if args.json:
        print(json.dumps(verdict.as_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(verdict.lines()))
    return verdict.exit_code


def cmd_export(args: argparse.Namespace) -> int:
    from simulator.certification.export import export_csv, export_xapi
    from simulator.certification.output import write_text
    from simulator.certification.store import Store

    with Store.open(args.db, create=False) as store:
        text = export_xapi(store, args.homepage, args.trainee, args.suite) if args.xapi else \
            export_csv(store, args.trainee, args.suite)
    if args.output:
        if args.csv:
            text = "\ufeff" + text  # a byte-order mark, so spreadsheets read the names as UTF-8
        write_text(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from simulator.certification.grade import grade_files
    from simulator.cli import _catalog

    return grade_files(args.files, _catalog(args), args.csv_path, args.json_path, args.pass_mark,
                       args.skip_bad, sys.stderr)


def cmd_history(args: argparse.Namespace) -> int:
    import os

    from simulator.certification.history import show_history
    from simulator.certification.store import Store, default_db_path
    from simulator.cli import _catalog, _lang

    path = args.db or default_db_path()
    if not os.path.exists(path):
        from simulator.certification.texts import x

        print(x("h_no_db", _lang(args)))
        return 0
    with Store.open(path, create=False) as store:
        return show_history(store, _catalog(args), _lang(args), args.trainee, args.suite, args.json, sys.stdout)


def cmd_report(args: argparse.Namespace) -> int:
    from simulator.certification.output import write_text
    from simulator.certification.report import certificate_report, trainee_report
    from simulator.cli import _catalog, _lang
    from simulator.errors import UsageError

    if bool(args.certificate) == bool(args.trainee):
        raise UsageError("give either a certificate file or --trainee NAME")
    if args.certificate and args.suite:
        raise UsageError("--suite goes with --trainee (a certificate is of one suite already)")
    catalog = _catalog(args)
    if args.certificate:
        page = certificate_report(args.certificate, catalog, getattr(args, "lang", None))
    else:
        from simulator.certification.store import Store

        with Store.open(args.db, create=False) as store:
            page = trainee_report(store, catalog, _trainee(args.trainee), _lang(args), args.suite)
    write_text(args.output, page)
    print(f"wrote {args.output}")
    return 0
