#!/usr/bin/env bash
# npm run bench -- NAME [ARGS]: runs bench/NAME.bench.ts (pipeline, parser, report-row, aggregator-batch, binary-array, api, whatif, campaigns, produce-encode, ingest, compare).
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: npm run bench -- pipeline|parser|report-row|aggregator-batch|binary-array|api|whatif|campaigns|produce-encode|ingest|compare [args]}"
shift
if [ "$name" = pipeline ] || [ "$name" = api ] || [ "$name" = whatif ]; then npm run -s build >/dev/null; fi
exec npx ts-node --transpile-only -r tsconfig-paths/register "bench/$name.bench.ts" "$@"
