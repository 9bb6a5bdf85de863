import json

import pytest


@pytest.fixture
def cli_run(capsys):
    """Run ``jaring`` in-process and return its one JSON line."""
    from jaring.cli import main

    def _run(argv):
        capsys.readouterr()
        main(argv)
        return json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return _run
