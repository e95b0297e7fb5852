#!/bin/sh
# The classic projects of this folder, built and tested the way their users do:
# `xbuild OpenVss.VssApi.Tests.csproj /t:Test` (Mono's msbuild instead when
# BUILD names it), on a copy of bindings/csharp so that bin/ and obj/ never land
# in the source tree. The Test target runs Tests.exe; a failed test fails the
# build. The library comes from the environment (VSSAPI_LIBRARY, as meson
# test sets it).
#
#   project_check.sh XBUILD_OR_MSBUILD
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 XBUILD_OR_MSBUILD" >&2
    exit 2
fi
tool=$1
here=$(cd "$(dirname "$0")" && pwd -P)
work=$(mktemp -d "${TMPDIR:-/tmp}/vssapi-csharp-project.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
# The binding where the tests look for what is beside it (../../meson.build's
# version, ../../examples/scenarios).
source_root=$(cd "$here/../../.." && pwd -P)
mkdir -p "$work/src/bindings" "$work/src/examples"
cp -R "$(dirname "$here")" "$work/src/bindings/csharp"
cp "$source_root/meson.build" "$work/src/"
cp -R "$source_root/examples/scenarios" "$work/src/examples/"
rm -rf "$work/src/bindings/csharp/mono/bin" "$work/src/bindings/csharp/mono/obj"
cd "$work/src/bindings/csharp/mono"
"$tool" /nologo /verbosity:minimal OpenVss.VssApi.Tests.csproj /t:Test
for built in bin/Debug/OpenVss.VssApi.dll bin/Debug/OpenVss.VssApi.dll.config bin/Debug/Tests.exe bin/Debug/example.exe; do
    if [ ! -f "$built" ]; then
        echo "$0: $tool did not make $built" >&2
        exit 1
    fi
done
echo "== $(basename "$tool") built and tested the classic projects"
