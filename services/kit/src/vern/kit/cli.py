"""The `vern` command line: developer tools for working on Vern."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable, Sequence

from vern.kit import devstack, devtoken
from vern.kit.orgprofile import ProfileError, load_profile
from vern.kit.orgprofile.summary import describe_profile

Handler = Callable[[argparse.Namespace], int]


def token(args: argparse.Namespace) -> int:
    """Prints a real access token from the dev IdP."""
    if args.persona:
        access_token = devtoken.fetch_persona_token(
            args.persona, issuer=args.issuer, resource=args.resource, scope=args.scope
        )
    else:
        access_token = devtoken.fetch_client_token(
            args.client,
            args.client_secret or f"dev-secret-{args.client}",
            issuer=args.issuer,
            resource=args.resource,
            scope=args.scope,
        )
    print(access_token)
    return 0


def _add_token(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "token",
        help="print an access token from the dev IdP",
        description="Print a real access token from the dev IdP: a persona logs in through "
        "authorization code + PKCE, or a machine client uses client credentials.",
    )
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--persona", metavar="NAME", help="a username from personas.json")
    who.add_argument("--client", metavar="CLIENT_ID", help="a confidential machine client")
    parser.add_argument(
        "--client-secret", metavar="SECRET", help="default: the dev secret dev-secret-CLIENT_ID"
    )
    parser.add_argument("--resource", default=devtoken.DEFAULT_RESOURCE, help="%(default)s")
    parser.add_argument(
        "--scope",
        help="persona default: 'openid <base scope of the resource>'; "
        "client default: every scope the client may have on the resource",
    )
    parser.add_argument("--issuer", default=devtoken.DEFAULT_ISSUER, help="%(default)s")
    parser.set_defaults(handler=token)


def _add_run(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "run", help="run the dev IdP, SMTP sink, the four services and the SPA until Ctrl-C"
    )
    parser.set_defaults(handler=lambda _args: devstack.run())


def profile_check(args: argparse.Namespace) -> int:
    """Validates an org profile and prints what it makes Vern enforce."""
    try:
        profile = load_profile(args.file)
    except ProfileError as error:
        print(f"vern profile check: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"vern profile check: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"{args.file}: ", end="")
    print(describe_profile(profile), end="")
    return 0


def profile_render(args: argparse.Namespace) -> int:
    """Renders the privacy notice of a profile through the registry, which owns the notice."""
    # The kit imports no service; the registry renders in a process of its own, as it runs.
    command = [sys.executable, "-m", "vern.registry.notice", "render", args.file]
    command += ["--out", args.out] if args.out else []
    command += ["--format", args.format] if args.format else []
    return subprocess.run(command, check=False).returncode  # noqa: S603 - our own module


def _add_profile(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "profile",
        help="check an org profile, or render its privacy notice",
        description="Work with an org profile (deploy/orgs/*.yaml).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="validate a profile and print what it makes Vern enforce",
        description="Validate an org profile (schema and consistency) and print every "
        "retention rule, module, list and deadline it makes Vern enforce. Exit 1 and list "
        "every problem with its path when the profile is invalid.",
    )
    check.add_argument("file", metavar="FILE")
    check.set_defaults(handler=profile_check)
    render = actions.add_parser(
        "render",
        help="render the profile's privacy notice (personvernerklæring)",
        description="Render the privacy notice of a profile as the registry serves it at "
        "/registry/privacy-notice.",
    )
    render.add_argument("file", metavar="FILE")
    render.add_argument("--out", metavar="PATH", help="default: standard output")
    render.add_argument("--format", choices=["html", "md", "json"], help="default: from --out")
    render.set_defaults(handler=profile_render)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vern", description="Developer tools for Vern.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_token(commands)
    _add_run(commands)
    _add_profile(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except devtoken.DevTokenError as error:
        print(f"vern {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
