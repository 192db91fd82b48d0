#!/usr/bin/env bash
# Compiles every app of the monorepo (strict TypeScript) into dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
apps=$(node -e 'const p=require("./nest-cli.json").projects; console.log(Object.keys(p).filter(k=>p[k].type==="application").join(" "))')
for app in $apps; do
  npx nest build "$app"
done
echo "built: $apps"
