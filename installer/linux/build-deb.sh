#!/usr/bin/env bash
# Builds the .deb from the jpackage app-image with dpkg-deb (run by the Maven `installer` profile
# after jpackage; see installer/README.md). jpackage's own .deb type is not used: its maintainer
# scripts run xdg-desktop-menu, which makes the app the default for its MIME types in
# /usr/share/applications/defaults.list and leaves that file behind, and it cannot install files
# outside /opt (icons, metainfo, man page, copyright). Here every file is known to dpkg and the
# system's triggers (desktop-file-utils, hicolor icon cache, shared-mime-info, man-db) do the rest.
#
#   installer/linux/build-deb.sh IMAGE_DIR OUT_DIR VERSION MANPAGE HOMEPAGE
#
# IMAGE_DIR: target/jpackage/image/Pastiche; writes OUT_DIR/pastiche_VERSION-REV_ARCH.deb where REV
# is the Debian revision of installer/linux/changelog's first entry.
set -euo pipefail

mkdir -p "$2"
IMAGE="$(readlink -f "$1")"; OUT="$(readlink -f "$2")"; VERSION="$3"; MANPAGE="$(readlink -f "$4")"; HOMEPAGE="$5"
HERE="$(cd "$(dirname "$0")" && pwd)"
ICONS="$HERE/../icons/hicolor"
PKG=pastiche
APP_ID=org.pastiche.Pastiche
ARCH=$(dpkg --print-architecture)
DEBVERSION=$(dpkg-parsechangelog -l "$HERE/changelog" -S Version)
[[ "$DEBVERSION" == "$VERSION"-* ]] || { echo "build-deb: changelog version $DEBVERSION is not $VERSION-N" >&2; exit 1; }
DATE=$(dpkg-parsechangelog -l "$HERE/changelog" -S Timestamp)
export SOURCE_DATE_EPOCH="$DATE"

WORK="$OUT/work"
ROOT="$WORK/root"
rm -rf "$WORK"; mkdir -p "$ROOT/DEBIAN" "$OUT"

# /opt/pastiche: the app-image (launcher, runtime, jar, natives, models, assets)
mkdir -p "$ROOT/opt"
cp -a "$IMAGE" "$ROOT/opt/pastiche"
rm -f "$ROOT/opt/pastiche/lib/Pastiche.png"   # the theme icons below replace it
# Native code: no symbols (lintian unstripped-binary-or-object); a library is not a program.
find "$ROOT/opt/pastiche" -type f | while read -r f; do
  if file -b "$f" | grep -q '^ELF'; then
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$f"
    case "$f" in *.so|*.so.*) chmod 644 "$f" ;; esac
  fi
done
# The ONNX Runtime JNI library carries its build folder as RUNPATH (lintian custom-library-search-path).
if command -v patchelf > /dev/null; then
  patchelf --remove-rpath "$ROOT/opt/pastiche/lib/app/native/libonnxruntime4j_jni.so"
else
  echo "build-deb: patchelf not found, libonnxruntime4j_jni.so keeps its RUNPATH /build/Release" >&2
fi
chmod -R u=rwX,go=rX "$ROOT/opt/pastiche"
chmod 755 "$ROOT/opt/pastiche/bin/Pastiche" "$ROOT/opt/pastiche/bin/pastiche-cli" "$ROOT/opt/pastiche/lib/runtime/lib/jspawnhelper"
[[ -f "$ROOT/opt/pastiche/lib/runtime/lib/jexec" ]] && chmod 755 "$ROOT/opt/pastiche/lib/runtime/lib/jexec"

# /usr: the command, the menu entry, icons, AppStream, man page, documentation
mkdir -p "$ROOT/usr/bin" "$ROOT/usr/share/applications" "$ROOT/usr/share/metainfo" \
         "$ROOT/usr/share/man/man1" "$ROOT/usr/share/doc/$PKG" "$ROOT/usr/share/icons"
install -m 755 "$HERE/pastiche.sh" "$ROOT/usr/bin/pastiche"
install -m 644 "$HERE/$APP_ID.desktop" "$ROOT/usr/share/applications/$APP_ID.desktop"
sed -e "s|@HOMEPAGE@|$HOMEPAGE|g" -e "s|@VERSION@|$VERSION|g" \
    -e "s|@DATE@|$(date -u -d "@$DATE" +%Y-%m-%d)|g" \
    "$HERE/$APP_ID.metainfo.xml" > "$ROOT/usr/share/metainfo/$APP_ID.metainfo.xml"
chmod 644 "$ROOT/usr/share/metainfo/$APP_ID.metainfo.xml"
cp -r "$ICONS" "$ROOT/usr/share/icons/hicolor"
find "$ROOT/usr/share/icons" -type d -exec chmod 755 {} + ; find "$ROOT/usr/share/icons" -type f -exec chmod 644 {} +
gzip -9n -c "$MANPAGE" > "$ROOT/usr/share/man/man1/pastiche.1.gz"
install -m 644 "$HERE/copyright" "$ROOT/usr/share/doc/$PKG/copyright"
gzip -9n -c "$HERE/changelog" > "$ROOT/usr/share/doc/$PKG/changelog.Debian.gz"
chmod 644 "$ROOT/usr/share/man/man1/pastiche.1.gz" "$ROOT/usr/share/doc/$PKG/changelog.Debian.gz"
install -m 755 "$HERE/postinst" "$ROOT/DEBIAN/postinst"

# Depends: what the native code links against, by dpkg-shlibdeps (versioned, each package once).
# JavaFX's natives stay inside the jar (unpacked to ~/.openjfx/cache), so they are scanned from a copy.
SCAN="$WORK/scan"; mkdir -p "$SCAN/debian" "$SCAN/fx"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$PKG" "$PKG" > "$SCAN/debian/control"
(cd "$SCAN/fx" && unzip -q -o "$ROOT/opt/pastiche/lib/app/pastiche.jar" '*.so' > /dev/null 2>&1 || true)
mapfile -t elves < <(find "$ROOT/opt/pastiche" "$SCAN/fx" -type f \( -name '*.so' -o -name '*.so.*' -o -perm -u+x \) \
                       -exec sh -c 'file -b "$1" | grep -q "^ELF"' _ {} \; -print)
# libonnxruntime4j_jni.so asks for the soname libonnxruntime.so.1, which the Java binding has loaded
# by path before; a link in the scan folder lets dpkg-shlibdeps find it.
mkdir -p "$SCAN/sonames"
ln -sf "$ROOT/opt/pastiche/lib/app/native/libonnxruntime.so" "$SCAN/sonames/libonnxruntime.so.1"
libdirs=("-l$SCAN/sonames")
while read -r d; do libdirs+=("-l$d"); done < <(printf '%s\n' "${elves[@]}" | xargs -n1 dirname | sort -u)
shlibs=$(cd "$SCAN" && dpkg-shlibdeps -O --ignore-missing-info --warnings=0 "${libdirs[@]}" "${elves[@]}" 2> "$WORK/shlibdeps.log" \
           | sed -n 's/^shlibs:Depends=//p')
[[ -n "$shlibs" ]] || { echo "build-deb: dpkg-shlibdeps found nothing:" >&2; cat "$WORK/shlibdeps.log" >&2; exit 1; }
# A font for JavaFX's text (fontconfig finds none on a minimal system).
depends="$shlibs, fonts-dejavu-core | fonts-liberation2 | fonts-freefont-ttf"

installed_kb=$(du -sk --apparent-size "$ROOT" --exclude=DEBIAN | cut -f1)
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: $PKG
Version: $DEBVERSION
Architecture: $ARCH
Maintainer: Pastiche maintainers <pastiche@example.org>
Installed-Size: $installed_kb
Depends: $depends
Recommends: xdg-utils
Section: graphics
Priority: optional
Homepage: $HOMEPAGE
Description: turns photos into paintings with fast neural style transfer
 Pastiche paints photos in the style of a painting: open a photo, pick one of
 ten styles (Van Gogh, Picasso, a Chinese ink landscape, a 1960s poster, ...),
 compare the painting with the original side by side and export it at full
 resolution, tile by tile. A command line (pastiche stylize, styles, bench)
 does the same in batches.
 .
 It works offline and sends nothing; the telemetry of the bundled ONNX Runtime
 is switched off. Each style shows its licence: the Picasso (La Muse) style is
 for research and non-commercial use only.
 .
 The package brings its own Java runtime and libraries in /opt/pastiche.
CONTROL

# md5sums of every file, as dpkg-deb does not write them
(cd "$ROOT" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$ROOT/DEBIAN/md5sums"
chmod 644 "$ROOT/DEBIAN/control" "$ROOT/DEBIAN/md5sums"
find "$ROOT" -exec touch -h -d "@$DATE" {} +

DEB="$OUT/${PKG}_${DEBVERSION}_${ARCH}.deb"
rm -f "$OUT"/${PKG}_*.deb
dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$DEB" > /dev/null
echo "build-deb: $DEB ($(du -h "$DEB" | cut -f1))"
