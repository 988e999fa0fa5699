#!/usr/bin/env bash
# Regenerates the README screenshots from the browser tests (real server, Debian Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
npx vitest run test/browser
for shot in home-360 home-1280 account-staff-360 signin-error-360 catalogue-360 catalogue-1280 designer-form-top-1280; do
  cp "test-output/screenshots/$shot.png" docs/screenshots/
done
echo "Updated docs/screenshots/"
