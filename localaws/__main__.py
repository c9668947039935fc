"""Run the local AWS in the foreground: ``python -m localaws [--port N]``."""

import argparse
import os
import signal
import sys

from localaws import DEFAULT_HOST, DEFAULT_PORT, MOTO_VERSION

# Seconds before moto's ACM marks a DNS-validated certificate ISSUED (moto's
# default is 60); moto reads it at import, so main() sets it before any import.
DEFAULT_ACM_VALIDATION_WAIT = "2"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="localaws", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("LOCALAWS_HOST", DEFAULT_HOST))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCALAWS_PORT", DEFAULT_PORT)))
    parser.add_argument("--request-log", default=os.environ.get("LOCALAWS_REQUEST_LOG"),
                        help="append one JSON line per AWS call to this file")
    parser.add_argument("--pidfile", help="write the server's PID here")
    return parser.parse_args(argv)


def build_app(request_log=None):
    """moto's dispatcher with our extensions and middleware; imports moto."""
    import moto  # pylint: disable=import-outside-toplevel
    from moto.moto_server.werkzeug_app import (  # pylint: disable=import-outside-toplevel
        DomainDispatcherApplication,
        create_backend_app,
    )

    from localaws.extensions import install_all  # pylint: disable=import-outside-toplevel
    from localaws.server import LocalAwsMiddleware  # pylint: disable=import-outside-toplevel

    if moto.__version__ != MOTO_VERSION:
        raise SystemExit("localaws is pinned to moto %s, found %s" % (MOTO_VERSION, moto.__version__))
    install_all()
    return LocalAwsMiddleware(DomainDispatcherApplication(create_backend_app), request_log=request_log)


def _exit_on_signal(*_):
    """SIGTERM unwinds serve_forever() like Ctrl-C, so the pidfile is removed."""
    raise KeyboardInterrupt


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", DEFAULT_ACM_VALIDATION_WAIT)
    from moto.moto_server.werkzeug_app import MotoRequestHandler  # pylint: disable=import-outside-toplevel
    from werkzeug.serving import make_server  # pylint: disable=import-outside-toplevel

    server = make_server(args.host, args.port, build_app(args.request_log), threaded=True,
                         request_handler=MotoRequestHandler)
    if args.pidfile:
        with open(args.pidfile, "w", encoding="utf-8") as handle:
            handle.write("%d\n" % os.getpid())
    signal.signal(signal.SIGTERM, _exit_on_signal)
    print("localaws: moto %s on http://%s:%d" % (MOTO_VERSION, args.host, args.port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if args.pidfile and os.path.exists(args.pidfile):
            os.unlink(args.pidfile)


if __name__ == "__main__":
    main()
