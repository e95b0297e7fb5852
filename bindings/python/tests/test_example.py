"""Runs bindings/python/example.py, the README's example, exactly as written, and
a script that forgets to close anything, in their own processes."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import vssapi

BINDING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(BINDING, "example.py")
# Where the vssapi under test comes from (the sources, or an installed copy):
# the child processes must import that one.
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(vssapi.__file__)))


FORGETFUL = """
import vssapi

class Writer(vssapi.Writer):
    class_id, name = "5e1f0001-1111-2222-8001-020304050607", "Forgotten"

    def on_backup_shutdown(self, snapshot_set_id):
        print("shutdown", snapshot_set_id == expected, flush=True)

coordinator = vssapi.Coordinator()
requester = vssapi.Requester(coordinator)  # before the writer: exit must still close it first
writer = Writer(coordinator)
requester.initialize_for_backup()
requester.gather_writer_metadata()
expected = requester.start_snapshot_set()
requester.add_to_snapshot_set("C:\\\\")
requester.prepare_for_backup()
requester.do_snapshot_set()
pending = requester.start(vssapi.Step.BACKUP_COMPLETE)
print("exiting", flush=True)
"""


def run_python(*args, cwd=None):
    path = os.pathsep.join(p for p in (PACKAGE_ROOT, os.environ.get("PYTHONPATH")) if p)
    environment = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=path)
    return subprocess.run([sys.executable, *args], capture_output=True, timeout=120, env=environment, check=False,
                          cwd=cwd)


class ProcessTest(unittest.TestCase):
    def test_example_runs_as_written(self):
        # A byte-for-byte copy, run from elsewhere: a script's own folder comes first
        # on sys.path, and bindings/python would shadow an installed vssapi.
        with tempfile.TemporaryDirectory() as folder:
            shutil.copyfile(EXAMPLE, os.path.join(folder, "example.py"))
            result = run_python(os.path.join(folder, "example.py"), cwd=folder)
        stdout = result.stdout.decode("utf-8")
        self.assertEqual(result.returncode, 0, result.stderr.decode("utf-8", errors="replace"))
        self.assertEqual(
            stdout.strip(),
            "Database Writer FAILED_AT_FREEZE VSS_E_WRITERERROR_RETRYABLE 0x80070020 Échec du gel – 数据库忙 😀",
        )

    def test_readme_shows_the_example_verbatim(self):
        with open(os.path.join(BINDING, "README.md"), encoding="utf-8") as readme:
            text = readme.read()
        with open(EXAMPLE, encoding="utf-8") as example:
            code = example.read()
        self.assertIn("```python\n" + code + "```\n", text)

    def test_child_processes_import_the_vssapi_under_test(self):
        with tempfile.TemporaryDirectory() as folder:
            result = run_python("-c", "import vssapi; print(vssapi.__file__)", cwd=folder)
        self.assertEqual(result.returncode, 0, result.stderr.decode("utf-8", errors="replace"))
        self.assertEqual(os.path.realpath(result.stdout.decode("utf-8").strip()), os.path.realpath(vssapi.__file__))

    def test_handles_left_open_are_released_at_exit(self):
        result = run_python("-c", FORGETFUL)
        self.assertEqual(result.returncode, 0, result.stderr.decode("utf-8", errors="replace"))
        self.assertEqual(result.stdout.decode("utf-8").split(), ["exiting", "shutdown", "True"])
        self.assertEqual(result.stderr, b"")


if __name__ == "__main__":
    unittest.main()
