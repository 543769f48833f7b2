"""The `vern` command line: developer tools for working on Vern."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from vern.kit import devstack, devtoken

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vern", description="Developer tools for Vern.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_token(commands)
    _add_run(commands)
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
