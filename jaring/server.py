"""``jaring serve`` in production: gunicorn worker processes (docs/operations.md, docs/performance.md).

Each worker is a separate process with its own Python interpreter, so the workers use every CPU core
(one waitress process is held to one core by the GIL). The app is loaded once in the master before the
workers fork (``preload_app``); no database connection is opened before the fork.
"""

from __future__ import annotations

import sys

from gunicorn.app.base import BaseApplication


def _force_https(app):
    def wrapped(environ, start_response):
        environ["wsgi.url_scheme"] = "https"
        return app(environ, start_response)

    return wrapped


class JaringServer(BaseApplication):
    def __init__(self, application, options: dict):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def options(host: str, port: int, workers: int, threads: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        # gthread: a slow client or an idle keep-alive connection holds a thread, not a whole process
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": threads,
        "preload_app": True,
        "timeout": 120,            # a stuck request is killed and its worker replaced after 2 minutes
        "graceful_timeout": 30,
        "keepalive": 5,
        "max_requests": 20000,     # recycle workers now and then (memory), staggered by the jitter
        "max_requests_jitter": 2000,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "jaring",
        # X-Forwarded-Proto etc. are trusted from these addresses only (the load balancer; see docs)
        "forwarded_allow_ips": "127.0.0.1,::1",
    }


def run_gunicorn(application, *, host: str, port: int, workers: int, threads: int, https: bool = False):
    from django.db import connections

    connections.close_all()  # never share a connection opened in the master with forked workers
    app = _force_https(application) if https else application
    sys.argv = sys.argv[:1]  # gunicorn reads its own command line otherwise
    JaringServer(app, options(host, port, workers, threads)).run()
