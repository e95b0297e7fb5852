#!/bin/sh
# Meson's runner for the Node.js binding's tests: node --test over test/.
# Arguments: the node program ('' when Meson found none), this folder, and the
# build's b_sanitize option. Exit 77 tells Meson the test was skipped.
node=$1
here=$2
sanitize=$3
if [ -z "$node" ]; then
  echo "SKIP: node was not found when the build was configured"
  exit 77
fi
if [ "$sanitize" != none ] && [ -n "$sanitize" ]; then
  echo "SKIP: node cannot load a library built with -fsanitize=$sanitize"
  exit 77
fi
if [ ! -d "$here/node_modules/koffi" ]; then
  echo "SKIP: koffi is not installed; run: (cd bindings/node && npm ci)"
  exit 77
fi
cd "$here" || exit 1
exec "$node" --test test/
