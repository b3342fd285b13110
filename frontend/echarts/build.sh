#!/usr/bin/env bash
# Rebuilds anmin/analytics/static/analytics/vendor/echarts-6.1.0-anmin.min.js: the exact packages of
# package-lock.json (npm ci, no install scripts) in a scratch directory outside the repository, entry.js
# bundled by esbuild into one classic script (an IIFE setting window.echarts, production code paths),
# minified by terser (as ECharts' own dist is; 4 % smaller gzipped than esbuild's minifier). Needs node,
# npm and the registry; the app and its tests never run it: the built file is committed.
#   make echarts                        rebuild and write the vendored file
#   frontend/echarts/build.sh --check   rebuild and compare with the committed file (same bytes)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../anmin/analytics/static/analytics/vendor/echarts-6.1.0-anmin.min.js"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/entry.js" "$work/"
cd "$work"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
# esbuild's binary is in its platform's package (@esbuild/linux-x64, ...): it needs no install script.
./node_modules/.bin/esbuild entry.js --bundle --format=iife --global-name=echarts --target=es2015 \
  --charset=utf8 --legal-comments=eof --define:process.env.NODE_ENV='"production"' \
  --log-level=warning --outfile=bundle.js
./node_modules/.bin/terser bundle.js --ecma 2015 --compress passes=2 --mangle --comments some --output min.js
cat "$here/banner.txt" min.js > echarts.min.js  # ECharts' licence header and what this build holds
if [ "${1:-}" = "--check" ]; then
  cmp echarts.min.js "$out" && echo "$out is what this recipe makes"
else
  cp echarts.min.js "$out"
  echo "wrote $out: $(wc -c < "$out") bytes, $(gzip -6c "$out" | wc -c) gzipped"
fi
