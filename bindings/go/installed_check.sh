#!/bin/sh
# installed_check.sh PREFIX [go test flags...]
#
# Tests the Go package against an installed libvssapi, away from the source
# tree: copies this folder (what `go get` fetches of the module) to a new
# temporary module, checks that nothing in it points back into the tree, and
# runs `go test ./...` there with only PKG_CONFIG_PATH=<libdir>/pkgconfig and
# LD_LIBRARY_PATH=<libdir> to find the library (no CGO_CFLAGS, CGO_LDFLAGS or
# -I). Then a second module outside the tree uses the package as the README
# says, through a `replace` directive, and must print the installed version.
#
# <libdir> is the first of PREFIX/lib, PREFIX/lib64 and PREFIX/lib/<multiarch>
# that holds pkgconfig/vssapi.pc. Nothing is downloaded (GOPROXY=off) and the
# go caches live in the temporary folder, removed at the end (KEEP=1 keeps it).
# Exit status: 0 when both pass.
set -eu

if [ $# -lt 1 ]; then
    echo "usage: $0 PREFIX [go test flags...]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=SCRIPTDIR/../installed_prefix.sh
. "$here/../installed_prefix.sh"
installed_prefix "PREFIX [go test flags...]" "$1"
shift
libdir=$(installed_pc_libdir) || exit 2
if [ ! -e "$libdir/libvssapi.so" ]; then
    echo "$0: $libdir/pkgconfig/vssapi.pc is there but libvssapi.so is not" >&2
    exit 1
fi
installed_work go
case "$work/" in
"$here"/*) echo "$0: the temporary folder $work is inside the package" >&2; exit 1 ;;
esac

# The module, as go get would fetch it: every file of this folder.
module=$work/vssapi
mkdir -p "$module"
cp -R "$here"/. "$module"/
# No path back into the source tree: no ../.. and no #cgo flags but pkg-config.
if grep -n -e '\.\./\.\.' -e "$here" "$module"/*.go "$module"/*.c "$module"/*.h "$module"/go.mod; then
    echo "$0: the package above points into the source tree" >&2
    exit 1
fi
if grep -n '#cgo' "$module"/*.go | grep -v '#cgo pkg-config: vssapi$'; then
    echo "$0: a #cgo directive other than pkg-config" >&2
    exit 1
fi
modpath=$(sed -n 's/^module[[:space:]]*//p' "$module/go.mod")

# Only the installed library: a clean environment, the go tool's own settings,
# and the two variables a user of an installed prefix sets.
run() {
    env -i PATH="$PATH" HOME="$work/home" TMPDIR="$work" GOTMPDIR="$work" \
        GOCACHE="$work/gocache" GOPATH="$work/gopath" GOMODCACHE="$work/gopath/pkg/mod" \
        GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local GOENV=off CGO_ENABLED=1 \
        PKG_CONFIG_PATH="$libdir/pkgconfig" LD_LIBRARY_PATH="$libdir" \
        VSSAPI_LIBRARY="$libdir/libvssapi.so" \
        "$@"
}
mkdir -p "$work/home"

echo "installed_check: pkg-config vssapi: $(run pkg-config --cflags --libs vssapi)"
echo "installed_check: go test in $module ($modpath)"
(cd "$module" && run go test -count=1 "$@" ./...)

# A module of a user: require + replace, as README.md shows.
user=$work/user
mkdir -p "$user"
cat >"$user/go.mod" <<EOF
module example.com/installedcheck

go 1.19

require $modpath v0.0.0

replace $modpath => $module
EOF
cat >"$user/main.go" <<EOF
package main

import (
	"fmt"
	"log"

	vssapi "$modpath"
)

func main() {
	c, err := vssapi.NewCoordinator(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	providers, err := c.Providers()
	if err != nil || len(providers) == 0 || providers[0].ID != vssapi.ProviderSimulatedID {
		log.Fatalf("providers %+v, %v", providers, err)
	}
	fmt.Println(vssapi.Version())
}
EOF
want=$(run pkg-config --modversion vssapi)
got=$(cd "$user" && run go run .)
if [ "$got" != "$want" ]; then
    echo "installed_check: the user module printed '$got', want '$want' (vssapi.pc's version)" >&2
    exit 1
fi
echo "installed_check: a module using $modpath through replace runs libvssapi $got"
echo "installed_check: PASS"
