#!/bin/sh
# Vendors Designsystemet (Digdir, MIT), its font Inter (OFL) and axe-core (MPL-2.0, the browser
# tests only) from npm at the versions `make design-system` passes: the pages load nothing from
# outside the service (the CSP says 'self'), so these live in the repository as static files.
set -eu
: "${DS_VERSION:?}" "${INTER_VERSION:?}" "${AXE_VERSION:?}"
STATIC=src/utskrivning/web/static/designsystemet
AXE=tests/browser/vendor
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

packages="@digdir/designsystemet-css@$DS_VERSION @digdir/designsystemet-theme@$DS_VERSION"
packages="$packages @fontsource-variable/inter@$INTER_VERSION axe-core@$AXE_VERSION"
# shellcheck disable=SC2086
(cd "$WORK" && npm pack --json --silent $packages >packed.json)
for tgz in "$WORK"/*.tgz; do
  name=$(basename "$tgz" .tgz)
  mkdir -p "$WORK/$name" && tar xzf "$tgz" -C "$WORK/$name"
done
css="$WORK/digdir-designsystemet-css-$DS_VERSION/package"
theme="$WORK/digdir-designsystemet-theme-$DS_VERSION/package"
inter="$WORK/fontsource-variable-inter-$INTER_VERSION/package"
axe="$WORK/axe-core-$AXE_VERSION/package"

rm -rf "$STATIC" && mkdir -p "$STATIC/css" "$STATIC/theme" "$STATIC/inter" "$AXE"
cp "$css/dist/src/index.css" "$css/LICENSE" "$STATIC/css/"
cp "$theme/src/themes/designsystemet.css" "$theme/LICENSE" "$STATIC/theme/"
cp "$inter/LICENSE" "$inter/files/inter-latin-wght-normal.woff2" \
  "$inter/files/inter-latin-ext-wght-normal.woff2" "$STATIC/inter/"
# Swedish needs Latin and Latin Extended only: their two faces of the variable font's stylesheet.
awk '/^\/\* inter-latin(-ext)?-wght-normal \*\/$/,/^}$/' "$inter/wght.css" | sed "s,url(./files/,url(./," >"$STATIC/inter/inter.css"
cp "$axe/axe.min.js" "$axe/LICENSE" "$AXE/"

integrity() {
  node -e 'const p = require(process.argv[1]); console.log(p.find(x => x.id === process.argv[2]).integrity)' \
    "$WORK/packed.json" "$1"
}
cat >"$STATIC/README.md" <<README
# Designsystemet, vendored

Written by \`make design-system\` (tools/design-system.sh) from npm; change the versions in the
Makefile and run it again to refresh. Do not edit these files by hand.

| Package | Version | Licence | Files here | npm integrity |
|---|---|---|---|---|
| [@digdir/designsystemet-css](https://github.com/digdir/designsystemet/tree/main/packages/css) | $DS_VERSION | MIT (css/LICENSE) | css/index.css (dist/src/index.css) | $(integrity "@digdir/designsystemet-css@$DS_VERSION") |
| [@digdir/designsystemet-theme](https://github.com/digdir/designsystemet/tree/main/packages/theme) | $DS_VERSION | MIT (theme/LICENSE) | theme/designsystemet.css (the default theme) | $(integrity "@digdir/designsystemet-theme@$DS_VERSION") |
| [@fontsource-variable/inter](https://fontsource.org/fonts/inter) | $INTER_VERSION | OFL-1.1 (inter/LICENSE) | inter/: the Latin and Latin Extended faces and their @font-face rules | $(integrity "@fontsource-variable/inter@$INTER_VERSION") |

The theme package's last release is $DS_VERSION (it is deprecated in favour of the theme inside the
CSS package); the CSS is pinned to the same release so that its components and the theme's tokens
match. The theme names the font Inter without serving it: the service serves it itself.

axe-core $AXE_VERSION (MPL-2.0, $(integrity "axe-core@$AXE_VERSION")) goes to tests/browser/vendor/ for
the browser tests only; it is never served.
README
echo "Vendored Designsystemet $DS_VERSION, Inter $INTER_VERSION into $STATIC and axe-core $AXE_VERSION into $AXE."
