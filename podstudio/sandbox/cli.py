"""``podstudio sandbox gc``: clean up learner namespaces in the sandbox cluster.

Meant for cron or a Kubernetes CronJob beside a classroom's shared cluster, every few minutes. It
reads the same settings as the app (PODSTUDIO_SANDBOX_KUBECONFIG, PODSTUDIO_SANDBOX_CONTEXT,
PODSTUDIO_SANDBOX_IDLE_SECONDS, PODSTUDIO_SANDBOX_FINALIZER_GRACE_SECONDS). It deletes learner
namespaces idle for longer than the idle time, and finishes learner namespaces being deleted:
a Pod whose deletion is overdue by the grace period loses the finalizers that hold it, so no
namespace stays Terminating. One line per namespace it acted on.
"""

import argparse
import os
import re
import sys
from typing import TextIO

EXIT_OK = 0
EXIT_UNAVAILABLE = 2
EXIT_USAGE = 2


def add_parser(commands) -> None:
    """Adds ``sandbox gc`` to the ``podstudio`` command's subcommands."""
    sandbox = commands.add_parser("sandbox", help="manage the sandbox cluster's learner namespaces")
    actions = sandbox.add_subparsers(dest="sandbox_command", required=True)
    gc = actions.add_parser(
        "gc", help="delete idle learner namespaces and finish those being deleted"
    )
    gc.add_argument(
        "--idle",
        type=int,
        metavar="SECONDS",
        help="idle time before deletion (default: PODSTUDIO_SANDBOX_IDLE_SECONDS, 7200)",
    )
    gc.add_argument(
        "--grace",
        type=int,
        metavar="SECONDS",
        help="how overdue a Pod's deletion is before its finalizers are removed "
        "(default: PODSTUDIO_SANDBOX_FINALIZER_GRACE_SECONDS, 60)",
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

    from podstudio.sandbox import namespaces
    from podstudio.sandbox.client import SandboxUnavailable

    idle = args.idle if args.idle is not None else settings.PODSTUDIO_SANDBOX_IDLE_SECONDS
    grace = (
        args.grace if args.grace is not None else settings.PODSTUDIO_SANDBOX_FINALIZER_GRACE_SECONDS
    )
    for name, value in (("--idle", idle), ("--grace", grace)):
        if value < 0:
            sys.stderr.write(f"podstudio sandbox gc: {name} must be 0 or more, got {value}\n")
            return EXIT_USAGE
    classroom = getattr(args, "classroom", None)
    if classroom is not None:
        classroom = classroom.strip().upper()
        if not re.fullmatch(r"[A-Z0-9]{1,20}", classroom):
            sys.stderr.write(f"podstudio sandbox gc: {args.classroom!r} is not a join code\n")
            return EXIT_USAGE
    try:
        result = namespaces.gc(idle_seconds=idle, grace_seconds=grace, classroom=classroom)
    except SandboxUnavailable as exc:
        sys.stderr.write(f"podstudio sandbox gc: {exc}\n")
        return EXIT_UNAVAILABLE
    for namespace in result.deleted:
        stdout.write(f"deleted {namespace}\n")
    for finishing in result.finishing:
        for pod in finishing.cleared:
            stdout.write(f"removed the finalizers of Pod {pod} in {finishing.namespace}\n")
        if finishing.released:
            stdout.write(f"finishing {finishing.namespace}: no Pod left\n")
        elif finishing.no_access:
            stdout.write(f"waiting for {finishing.namespace}: Pod Studio has no access left\n")
        else:
            stdout.write(
                f"waiting for {finishing.namespace}: {finishing.remaining} Pod(s) still stopping\n"
            )
    if classroom is not None:
        deleted = f"{len(result.deleted)} namespace(s) of classroom {classroom} deleted"
    else:
        deleted = f"{len(result.deleted)} idle namespace(s) deleted (idle for more than {idle} s)"
    stdout.write(f"{deleted}, {len(result.finishing)} being deleted\n")
    return EXIT_OK
