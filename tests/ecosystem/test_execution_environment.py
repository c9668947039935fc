"""`make ee` writes a build context that holds everything the collection imports.

The imports are read from the collection's code, not listed here: Python
modules imported by plugins/ (less the standard library, Ansible and the
collections themselves) and the collections whose FQCNs roles, playbooks and
plugins use. The context is written by scripts/ee.sh (ansible-builder create).
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

TOP = Path(__file__).resolve().parents[2]
CONTEXT = TOP / ".cache/ee"
# Import name -> distribution name on PyPI, where they differ.
DISTRIBUTIONS = {"graphql": "graphql-core"}
# amazon.aws's module_utils import boto3 for every AWS module this collection runs.
IMPORTED_THROUGH_AMAZON_AWS = {"boto3"}
FQCN = re.compile(r"\b(amazon\.aws|community\.aws)\.[a-z_0-9]+")


def python_imports():
    """Top-level third-party modules the collection's plugins import."""
    found = set()
    for path in (TOP / "plugins").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found
            if name not in sys.stdlib_module_names and name not in ("ansible", "ansible_collections", "__future__")}


def collections_used():
    """Collections other than this one named by FQCN in roles, playbooks and plugins."""
    found = set()
    for folder in ("roles", "playbooks", "plugins"):
        for path in (TOP / folder).rglob("*"):
            if path.suffix in (".yml", ".yaml", ".py") and path.is_file():
                text = path.read_text(encoding="utf-8")
                found.update(FQCN.findall(text))
                found.update(m.replace("ansible_collections.", "") for m in
                             re.findall(r"ansible_collections\.(?:amazon\.aws|community\.aws)", text))
    return found


@pytest.fixture(scope="module")
def context():
    subprocess.run([str(TOP / "scripts/ee.sh")], check=True, capture_output=True, cwd=TOP)
    return CONTEXT


def requirement_names(context):
    lines = (context / "_build/requirements.txt").read_text(encoding="utf-8").split()
    return {re.split(r"[=<>!~\[]", line)[0].lower() for line in lines if line and not line.startswith("#")}


def test_the_code_scan_finds_the_known_imports():
    assert {"botocore", "graphql"} <= python_imports()
    assert {"amazon.aws", "community.aws"} <= collections_used()


def test_context_lists_every_python_module_the_collection_imports(context):
    wanted = {DISTRIBUTIONS.get(name, name) for name in python_imports()} | IMPORTED_THROUGH_AMAZON_AWS
    assert wanted <= requirement_names(context), wanted - requirement_names(context)


def test_context_lists_every_collection_the_collection_uses(context):
    listed = yaml.safe_load((context / "_build/requirements.yml").read_text(encoding="utf-8"))
    names = {entry["name"] for entry in listed["collections"]}
    assert collections_used() <= names, collections_used() - names


def test_context_carries_this_collection_and_installs_it(context):
    assert (context / "_build/collections/multiregion-appsync.tar.gz").is_file()
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    assert "/build/collections/multiregion-appsync.tar.gz" in containerfile
    assert "ansible-core==2.19.14" in containerfile


def test_pins_match_the_tested_versions(context):
    pins = dict(line.split("==") for line in (TOP / "constraints.txt").read_text(encoding="utf-8").splitlines()
                if "==" in line and not line.startswith("#"))
    for line in (context / "_build/requirements.txt").read_text(encoding="utf-8").split():
        name, version = line.split("==")
        assert pins[name] == version, f"{name}: EE pins {version}, the tests run {pins[name]}"
