"""``podstudio sandbox gc``: delete learner namespaces idle for longer than a configured time.

Meant for cron or a Kubernetes CronJob beside a classroom's shared cluster. It reads the same
settings as the app (PODSTUDIO_SANDBOX_KUBECONFIG, PODSTUDIO_SANDBOX_CONTEXT,
PODSTUDIO_SANDBOX_IDLE_SECONDS) and prints one line per deleted namespace.
"""

import argparse
import os
import re
import sys
from typing import TextIO

EXIT_OK = 0
EXIT_USAGE = 2  # as argparse
EXIT_UNAVAILABLE = 2


def add_parser(commands) -> None:
    """Adds ``sandbox gc`` to the ``podstudio`` command's subcommands."""
    sandbox = commands.add_parser("sandbox", help="manage the sandbox cluster's learner namespaces")
    actions = sandbox.add_subparsers(dest="sandbox_command", required=True)
    gc = actions.add_parser("gc", help="delete learner namespaces idle for longer than --idle")
    gc.add_argument(
        "--idle",
        type=int,
        metavar="SECONDS",
        help="idle time before deletion (default: PODSTUDIO_SANDBOX_IDLE_SECONDS, 7200)",
    )
    gc.add_argument(
        "--classroom",
        metavar="CODE",
        help="delete every namespace of this classroom (its join code), idle or not",
    )
    gc.set_defaults(handler=cmd_gc)


def cmd_gc(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podstudio.settings")
    import django

    django.setup()
    from django.conf import settings

    from podstudio.sandbox import actions
    from podstudio.sandbox.client import SandboxUnavailable

    idle = args.idle if args.idle is not None else settings.PODSTUDIO_SANDBOX_IDLE_SECONDS
    classroom = getattr(args, "classroom", None)
    if classroom is not None:
        classroom = classroom.strip().upper()
        if not re.fullmatch(r"[A-Z0-9]{1,20}", classroom):
            sys.stderr.write(f"podstudio sandbox gc: {args.classroom!r} is not a join code\n")
            return EXIT_USAGE
    try:
        deleted = actions.gc(idle_seconds=idle, classroom=classroom)
    except SandboxUnavailable as exc:
        sys.stderr.write(f"podstudio sandbox gc: {exc}\n")
        return EXIT_UNAVAILABLE
    for namespace in deleted:
        stdout.write(f"deleted {namespace}\n")
    if classroom is not None:
        stdout.write(f"{len(deleted)} namespace(s) of classroom {classroom} deleted\n")
    else:
        stdout.write(f"{len(deleted)} idle namespace(s) deleted (idle for more than {idle} s)\n")
    return EXIT_OK
