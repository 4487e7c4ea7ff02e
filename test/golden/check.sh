#!/bin/sh
# Regenerates the golden ws_cti frames with a real Erlang into a temp dir and fails if they
# differ from the committed ones in test/golden/frames (compressed frames: by decoded term).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v escript >/dev/null 2>&1; then
  echo "Erlang not found: install it with \`apt-get install erlang-nox\` (Debian) or your OS's erlang package" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
escript "$here/gen.escript" write "$tmp/frames" >/dev/null
escript "$here/gen.escript" check "$here/frames"
# Byte-level diff of the uncompressed frames, for a readable report.
status=0
for f in "$tmp"/frames/*.bin; do
  n=$(basename "$f")
  if ! cmp -s "$f" "$here/frames/$n"; then
    case $(od -An -tu1 -N2 "$f" | tr -s ' ') in
      " 131 80") ;; # compressed: already compared by term above
      *) echo "frame $n differs" >&2; status=1 ;;
    esac
  fi
done
exit $status
