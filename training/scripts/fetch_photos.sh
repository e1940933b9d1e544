#!/usr/bin/env bash
# Extra training photos with licences that allow training (see training/DATA.md): Debian packages of
# free desktop backgrounds, unpacked (not installed) into training/cache/photos/src/<package>/, and
# scikit-image's sample images. Then `python3 -m pastiche_lab.photos prepare` scales them into the
# training pool training/cache/photos/pool/ (never committed: training/cache/ is ignored).
#   training/scripts/fetch_photos.sh            (from the repository root; needs apt-get download)
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS=${PKGS:-"mate-backgrounds lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 ukui-wallpapers"}
src=cache/photos/src
mkdir -p "$src" cache/photos/debs
for p in $PKGS; do
  if [ ! -d "$src/$p" ]; then
    (cd cache/photos/debs && apt-get download "$p")
    dpkg-deb -x cache/photos/debs/"$p"_*.deb "$src/$p.tmp"
    mv "$src/$p.tmp" "$src/$p"
  fi
done
echo "unpacked: $(ls "$src")"
