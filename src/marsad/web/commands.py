"""The `marsad serve` subcommand: the web app (API + dashboard) on uvicorn.

`cli.py` registers it with `add_commands(sub)`; FastAPI and uvicorn are imported only when it runs.
"""

from __future__ import annotations

import argparse

from marsad.store.commands import DB_HELP, default_db
from marsad.web.config import SETTINGS

EPILOG = "Example: marsad serve --db marsad.db --port 8000\n\nSettings (environment variables):\n" + "\n".join(
    f"  {s.env} (default: {s.default or 'unset'}): {s.help}" for s in SETTINGS
)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the store at --db on host:port until interrupted; prints the URL first."""
    import uvicorn

    from marsad.web.app import create_app

    app = create_app(args.db)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"marsad: serving {args.db} at http://{shown}:{args.port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, server_header=False)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `serve` on the `marsad` command's subparsers."""
    p = sub.add_parser("serve", help="serve the JSON API and the dashboard for a store", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--db", default=default_db(), help=DB_HELP)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"),
                   help="uvicorn log level (default: info)")  # fmt: skip
    p.set_defaults(func=cmd_serve)
