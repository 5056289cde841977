"""The ``procflow serve`` command: run the HTTP service (needs ``procflow[server]``)."""

from __future__ import annotations

import argparse
import json

from procflow.errors import InputError

__all__ = ["register"]


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from procflow.server import create_app
    except ImportError as exc:  # the extra is optional
        raise InputError(f"procflow serve needs procflow[server]: {exc}") from exc
    app = create_app(specs=args.specs, max_body=args.max_body, cors_origins=args.cors_origin)
    if args.openapi:
        print(json.dumps(app.openapi(), indent=2, ensure_ascii=False))
        return 0
    uvicorn.run(app, host=args.host, port=args.port)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve`` to the command line's subcommands.

    Args:
        sub: The subparsers of the ``procflow`` parser.
    """
    serve = sub.add_parser("serve", help="run the HTTP service and web page")
    serve.add_argument("--host", default="127.0.0.1", help="address (default %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port (default %(default)s)")
    serve.add_argument(
        "--specs", metavar="DIR", help="folder of procedure specs (default: the packaged library)"
    )
    serve.add_argument(
        "--max-body", type=int, default=20 * 1024 * 1024, help="largest request body in bytes"
    )
    serve.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="a web origin whose pages may call the service (repeatable)",
    )
    serve.add_argument("--openapi", action="store_true", help="print the OpenAPI document and exit")
    serve.set_defaults(run=_cmd_serve)
