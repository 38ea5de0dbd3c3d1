#!/usr/bin/env bash
# `npm run test:node22`: the two trigger Lambdas run on Lambda's nodejs22.x, so their unit tests,
# and those of their handlers (@streampulse/triggers), also run under Node 22, whatever Node runs
# the rest. The `node` package of the npm registry ships the binary; it is pinned and installed
# once into .cache/node22 (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."

NODE22_VERSION=22.23.3
prefix=.cache/node22
node22="$prefix/node_modules/.bin/node"
if [ "$("$node22" -v 2>/dev/null)" != "v$NODE22_VERSION" ]; then
  rm -rf "$prefix"
  mkdir -p "$prefix"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$prefix" "node@$NODE22_VERSION"
fi
echo "node $("$node22" -v): etl-trigger, aggregate-trigger, triggers"
"$node22" node_modules/vitest/vitest.mjs run --project etl-trigger --project aggregate-trigger --project triggers
