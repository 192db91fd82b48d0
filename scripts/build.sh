#!/usr/bin/env bash
# Compiles every app of the monorepo (strict TypeScript) into dist/, and the API's review console.
set -euo pipefail
cd "$(dirname "$0")/.."
apps=$(node -e 'const p=require("./nest-cli.json").projects; console.log(Object.keys(p).filter(k=>p[k].type==="application").join(" "))')
for app in $apps; do
  npx nest build "$app"
done
# The review console runs in the browser: compiled apart (ES modules, DOM), served by the API.
console_out=dist/apps/api/console
rm -rf "$console_out"
npx tsc -p apps/api/console/tsconfig.json
cp apps/api/console/index.html apps/api/console/console.css "$console_out/"
echo "built: $apps console"
