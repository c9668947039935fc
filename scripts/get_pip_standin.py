"""Stand-in for ansible-test's downloaded get-pip.py (its host is unreachable here).

ansible-test runs this as __main__ with pip-install arguments; bootstrap pip
with ensurepip in a child process (so /etc/pip.conf still applies), then install
what was asked for. get-pip's own flags are dropped.
"""

import subprocess
import sys

GET_PIP_ONLY_FLAGS = ("--no-setuptools", "--no-wheel")


def main():
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    main()
