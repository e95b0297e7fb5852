# Sourced by each binding's installed_check.sh (POSIX sh): the install prefix
# the check was given, where in it the library lies, and a work folder outside
# the source tree. One place, so the five checks read a prefix the same way.
#
#   installed_prefix USAGE "$@"   sets prefix (absolute, symbolic links resolved);
#                                 exits 2 with "usage: <script> USAGE" unless one argument
#   installed_libdirs NAME...     prints the prefix's folders holding each NAME,
#                                 colon-separated (for LD_LIBRARY_PATH); exits 2 if one is missing
#   installed_pc_libdir           prints the first of lib, lib64, lib/<multiarch> holding
#                                 pkgconfig/vssapi.pc; exits 2 if none does
#   installed_work TAG            sets work to a new folder, removed at exit unless KEEP=1

installed_prefix() {
    usage=$1
    shift
    if [ $# -ne 1 ] || [ ! -d "$1" ]; then
        echo "usage: $0 $usage" >&2
        exit 2
    fi
    prefix=$(cd "$1" && pwd -P)
}

installed_libdirs() {
    for name in "$@"; do
        if [ -z "$(find "$prefix" -name "$name" | head -n 1)" ]; then
            echo "$0: no $name under $prefix" >&2
            exit 2
        fi
    done
    for name in "$@"; do
        find "$prefix" -name "$name" -exec dirname {} \;
    done | sort -u | tr '\n' ':' | sed 's/:$//'
}

installed_pc_libdir() {
    multiarch=$(gcc -print-multiarch 2>/dev/null || true)
    for d in "$prefix/lib" "$prefix/lib64" ${multiarch:+"$prefix/lib/$multiarch"}; do
        if [ -f "$d/pkgconfig/vssapi.pc" ]; then
            echo "$d"
            return 0
        fi
    done
    echo "$0: no pkgconfig/vssapi.pc under $prefix/lib, lib64 or lib/$multiarch" >&2
    exit 2
}

installed_work() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/vssapi-$1-installed.XXXXXX")
    work=$(cd "$work" && pwd -P)
    if [ "${KEEP:-0}" = 1 ]; then
        echo "== working in $work (kept)"
    else
        trap 'rm -rf "$work"' EXIT
    fi
    trap 'exit 130' INT TERM
}
