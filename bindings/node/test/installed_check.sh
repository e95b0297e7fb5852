#!/bin/sh
# The Node.js binding as a user gets it: `npm pack`'s tarball installed the way
# npm installs things, into an application folder outside the source tree, and
# libvssapi with libvssapi_node from an install prefix, found by the loader.
# Runs the whole node --test suite there, with only LD_LIBRARY_PATH=<the
# prefix's folders holding the libraries> set (and PATH, HOME).
#
#   meson install -C build/native --destdir /tmp/stage
#   bindings/node/test/installed_check.sh /tmp/stage
#
# or with a prefix made by hand from a build:
#   mkdir -p /tmp/nodeprefix/lib
#   find build/native/src -maxdepth 1 -name 'libvssapi.so*' ! -type d -exec cp -P {} /tmp/nodeprefix/lib/ \;
#   cp build/native/bindings/node/libvssapi_node.so /tmp/nodeprefix/lib/
#   bindings/node/test/installed_check.sh /tmp/nodeprefix
#
# INSTALL=npm (the default) runs `npm install --offline` of the tarball, koffi
# coming from npm's cache (filled by .ci/setup's `npm ci`); when npm cannot
# install offline the script says so and extracts the tarball instead.
# INSTALL=extract does that from the start: the tarball's package/ becomes
# node_modules/vssapi and koffi is linked from bindings/node/node_modules, as a
# packager would lay it out. When PREFIX also holds the package as meson
# install put it (.../openvss/node/vssapi), the suite runs against that copy
# too. NODE (default: node on PATH) is the node to run.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
binding=$(dirname "$here")
source_root=$(cd "$binding/../.." && pwd -P)
# shellcheck source=SCRIPTDIR/../../installed_prefix.sh
. "$source_root/bindings/installed_prefix.sh"
installed_prefix "PREFIX   (a folder holding libvssapi.so.1 and libvssapi_node.so, e.g. a meson install --destdir)" "$@"
node=${NODE:-$(command -v node || true)}
install=${INSTALL:-npm}
if [ -z "$node" ]; then
    echo "$0: node not found" >&2
    exit 2
fi
# Every folder of the prefix holding one of the libraries, for the loader.
libdirs=$(installed_libdirs libvssapi.so.1 libvssapi_node.so) || exit 2
installed_work node
# The application: the suite as the source tree lays it out (its scenario test
# reads ../../../examples/scenarios from test/), but nothing of the binding.
app=$work/app/bindings/node
mkdir -p "$app" "$work/app/examples" "$work/home"
cp -R "$source_root/examples/scenarios" "$work/app/examples/scenarios"
printf '{ "name": "vssapi-installed-check", "version": "0.0.0", "private": true }\n' >"$app/package.json"

echo "== npm pack"
tarball=$(cd "$binding" && npm pack --silent --ignore-scripts --pack-destination "$work")
tarball=$work/$(basename "$tarball")
echo "$tarball"

extract() {
    mkdir -p "$app/node_modules/vssapi"
    tar -xzf "$tarball" -C "$app/node_modules/vssapi" --strip-components=1
    for dependency in koffi @koromix; do
        if [ -e "$binding/node_modules/$dependency" ]; then
            ln -s "$(cd "$binding/node_modules/$dependency" && pwd -P)" "$app/node_modules/$dependency"
        fi
    done
}

case $install in
npm)
    echo "== npm install --offline $(basename "$tarball")"
    # npm leaves out an optional dependency it cannot fetch: koffi's native part.
    if ! (cd "$app" && npm install --offline --no-audit --no-fund --ignore-scripts --no-package-lock "$tarball" &&
        "$node" -e "require('koffi')" >/dev/null 2>&1); then
        echo "== npm could not install offline (koffi or its native part is not in its cache): extracting the tarball instead"
        rm -rf "$app/node_modules"
        extract
    fi
    ;;
extract)
    echo "== extracting $(basename "$tarball") into node_modules/vssapi, koffi linked from $binding/node_modules"
    extract
    ;;
*)
    echo "$0: INSTALL must be npm or extract, not $install" >&2
    exit 2
    ;;
esac

# The suite and what its tests read beside it; the example and README as packed.
cp -R "$here" "$app/test"
rm -f "$app/test/installed_check.sh"
cp "$binding/test-helpers.js" "$binding/test-forgotten.js" "$app/"

# Runs the check and the suite in a clean environment: $1 the package's folder
# the application must get (node_modules/vssapi, a link to it or a copy).
run_suite() {
    expected=$1
    cp "$expected/example.mjs" "$expected/README.md" "$app/"
    echo "== vssapi from $expected, libraries from LD_LIBRARY_PATH=$libdirs"
    (cd "$app" && env -i PATH="$(dirname "$node"):/usr/bin:/bin" HOME="$work/home" LD_LIBRARY_PATH="$libdirs" \
        "$node" - "$expected" "$prefix" "$binding" <<'EOF'
const fs = require('node:fs');
const path = require('node:path');
const [expected, prefix, binding] = process.argv.slice(2).map((p) => fs.realpathSync(p));
const vss = require('vssapi');
const main = fs.realpathSync(require.resolve('vssapi'));
const fail = (message) => { console.error(`installed check: ${message}`); process.exit(1); };
if (!main.startsWith(expected + path.sep)) fail(`vssapi came from ${main}, not from ${expected}`);
if (main.startsWith(binding + path.sep)) fail(`vssapi came from the source tree: ${main}`);
const loaded = [...new Set(fs.readFileSync('/proc/self/maps', 'utf8').split('\n')
  .map((line) => line.split(/\s+/).slice(5).join(' ')).filter((file) => /libvssapi/.test(path.basename(file))))];
if (loaded.length !== 2) fail(`expected libvssapi and libvssapi_node loaded, found ${loaded.join(', ') || 'none'}`);
for (const file of loaded) {
  if (!fs.realpathSync(file).startsWith(prefix + path.sep)) fail(`${file} is not from ${prefix}`);
}
if (vss.libraryPath !== 'libvssapi.so.1' || vss.helperPath !== 'libvssapi_node.so') {
  fail(`not found by soname: ${vss.libraryPath}, ${vss.helperPath}`);
}
const manifest = JSON.parse(fs.readFileSync(path.join(expected, 'package.json'), 'utf8'));
if (!fs.existsSync(path.join(expected, manifest.types))) fail(`${manifest.types} is missing`);
console.log(`vssapi ${vss.version()} from ${path.dirname(main)}; ${loaded.join(', ')}`);
EOF
    )
    (cd "$app" && env -i PATH="$(dirname "$node"):/usr/bin:/bin" HOME="$work/home" LD_LIBRARY_PATH="$libdirs" \
        "$node" --test test/)
}

run_suite "$app/node_modules/vssapi"

# The copy meson install made, if the prefix has one: copied over the packed one
# (a link would not do: node resolves koffi from the link's target), with the
# lib/install.json meson wrote.
meson_package=$(find "$prefix" -path '*/openvss/node/vssapi/package.json' -exec dirname {} \; | head -n 1)
if [ -n "$meson_package" ]; then
    if [ ! -f "$meson_package/lib/install.json" ]; then
        echo "$0: $meson_package has no lib/install.json" >&2
        exit 1
    fi
    echo "== the package meson install put in $meson_package"
    rm -rf "$app/node_modules/vssapi"
    cp -R "$meson_package" "$app/node_modules/vssapi"
    run_suite "$app/node_modules/vssapi"
fi
echo "== installed check passed"
