"""Runs bindings/python/example.py, the README's example, exactly as written."""

import os
import subprocess
import sys
import unittest

BINDING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(BINDING, "example.py")


class ExampleTest(unittest.TestCase):
    def test_example_runs_as_written(self):
        path = os.pathsep.join(p for p in (BINDING, os.environ.get("PYTHONPATH")) if p)
        environment = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=path)
        result = subprocess.run(
            [sys.executable, EXAMPLE], capture_output=True, timeout=120, env=environment, check=False
        )
        stdout = result.stdout.decode("utf-8")
        self.assertEqual(result.returncode, 0, result.stderr.decode("utf-8", errors="replace"))
        self.assertEqual(
            stdout.strip(),
            "Database Writer FAILED_AT_FREEZE VSS_E_WRITERERROR_RETRYABLE 0x80070020 Échec du gel – 数据库忙 😀",
        )


if __name__ == "__main__":
    unittest.main()
