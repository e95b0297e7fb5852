"""The package as it is installed: the library found by the system's loader,
VSSAPI_LIBRARY only as an override, type hints on the whole public API, and the
packaging files (pyproject.toml, meson.build) in step with the package."""

import enum
import inspect
import os
import re
import subprocess
import sys
import tempfile
import typing
import unittest

import vssapi

BINDING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.dirname(os.path.abspath(vssapi.__file__))
SOURCE_TREE = os.path.isfile(os.path.join(BINDING, "pyproject.toml"))


def loaded_library():
    """The file of libvssapi this process mapped."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libvssapi" in line and "/" in line}
    return os.path.realpath(sorted(paths)[0]) if paths else None


def run_child(code, **environment):
    env = {k: v for k, v in os.environ.items() if k not in ("VSSAPI_LIBRARY", "LD_LIBRARY_PATH")}
    env.update(environment)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (os.path.dirname(PACKAGE), env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryDirectory() as folder:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, env=env,
                              cwd=folder, check=False)


@unittest.skipUnless(sys.platform.startswith("linux"), "the soname and /proc/self/maps are Linux's")
class LoadingTest(unittest.TestCase):
    MAPPED = "import vssapi, os; print([os.path.realpath(l.split()[-1]) for l in open('/proc/self/maps') if 'libvssapi' in l][0])"

    def test_the_library_is_found_by_its_soname_without_vssapi_library(self):
        library = loaded_library()
        self.assertIsNotNone(library)
        result = run_child(self.MAPPED, LD_LIBRARY_PATH=os.path.dirname(library))
        self.assertEqual(result.returncode, 0, result.stderr.decode("utf-8", errors="replace"))
        self.assertEqual(result.stdout.decode().strip(), library)

    def test_vssapi_library_overrides_the_loader_and_has_no_fallback(self):
        library = loaded_library()
        missing = os.path.join(tempfile.gettempdir(), "no-such-dir", "libvssapi.so.1")
        result = run_child("import vssapi", VSSAPI_LIBRARY=missing, LD_LIBRARY_PATH=os.path.dirname(library))
        self.assertNotEqual(result.returncode, 0)
        stderr = result.stderr.decode("utf-8", errors="replace")
        self.assertIn("ImportError", stderr)
        self.assertIn(missing, stderr)
        self.assertNotIn("libvssapi.so.1:", stderr.replace(missing + ":", ""))  # nothing else was tried

    def test_without_the_library_import_says_how_to_provide_it(self):
        result = run_child("import vssapi", LD_LIBRARY_PATH="/nonexistent")
        if result.returncode == 0:
            self.skipTest("a libvssapi is installed system-wide")
        stderr = result.stderr.decode("utf-8", errors="replace")
        self.assertIn("VSSAPI_LIBRARY", stderr)
        self.assertIn("libvssapi.so.1", stderr)


def public_functions():
    """(qualified name, function) of every public function and method of the package."""
    for name in vssapi.__all__:
        value = getattr(vssapi, name)
        if inspect.isfunction(value) and value.__module__.startswith("vssapi"):
            yield name, value
        elif inspect.isclass(value) and value.__module__.startswith("vssapi") and not issubclass(value, enum.Enum):
            for attribute, member in vars(value).items():
                if attribute.startswith("_") and attribute not in ("__init__", "__enter__", "__exit__"):
                    continue
                if isinstance(member, (classmethod, staticmethod)):
                    member = member.__func__
                elif isinstance(member, property):
                    member = member.fget
                if inspect.isfunction(member) and member.__module__.startswith("vssapi"):
                    yield f"{name}.{attribute}", member


class TypeHintTest(unittest.TestCase):
    def test_every_public_function_is_annotated_and_its_hints_resolve(self):
        unannotated = []
        checked = 0
        for name, function in public_functions():
            checked += 1
            signature = inspect.signature(function)
            for parameter in signature.parameters.values():
                if parameter.name in ("self", "cls"):
                    continue
                if parameter.annotation is inspect.Parameter.empty:
                    unannotated.append(f"{name}({parameter.name})")
            if signature.return_annotation is inspect.Signature.empty:
                unannotated.append(f"{name} -> ?")
            try:
                typing.get_type_hints(function)
            except Exception as error:  # a name the module does not import
                unannotated.append(f"{name}: {error!r}")
        self.assertGreater(checked, 100)
        self.assertEqual(unannotated, [])

    def test_the_package_is_marked_typed(self):
        self.assertTrue(os.path.isfile(os.path.join(PACKAGE, "py.typed")))


@unittest.skipUnless(SOURCE_TREE, "the packaging files are in the source tree")
class PackagingFilesTest(unittest.TestCase):
    def read(self, *parts):
        with open(os.path.join(BINDING, *parts), encoding="utf-8") as f:
            return f.read()

    def test_meson_installs_every_file_of_the_package(self):
        listed = set(re.findall(r"'vssapi/([^']+)'", self.read("meson.build")))
        present = {f for f in os.listdir(os.path.join(BINDING, "vssapi")) if f.endswith(".py") or f == "py.typed"}
        self.assertEqual(listed, present)
        self.assertIn("subdir: 'vssapi'", self.read("meson.build"))

    def test_pyproject_has_the_projects_version_and_ships_py_typed(self):
        pyproject = self.read("pyproject.toml")
        project = self.read("..", "..", "meson.build")
        version = re.search(r"^version = \"([^\"]+)\"", pyproject, re.M).group(1)
        self.assertEqual(version, re.search(r"version: '([^']+)'", project).group(1))
        self.assertRegex(pyproject, r'vssapi = \["py.typed"\]')
        self.assertRegex(pyproject, r'packages = \["vssapi"\]')


if __name__ == "__main__":
    unittest.main()
