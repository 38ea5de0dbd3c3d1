#!/usr/bin/env bash
# `npm run cfn-lint`: CloudFormation's own resource rules over the synthesized templates
# (`npm run synth` first). cfn-lint is pinned and lives in a project-local venv under .cache/
# (git-ignored), created on the first run; later runs reuse it. Ignores, each with its reason,
# are in .cfnlintrc.yaml at the repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."

CFN_LINT_VERSION=1.58.0
venv=.cache/cfn-lint
if [ "$("$venv/bin/cfn-lint" --version 2>/dev/null)" != "cfn-lint $CFN_LINT_VERSION" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
fi

shopt -s nullglob
templates=(apps/infra/cdk.out/*.template.json)
if [ ${#templates[@]} -eq 0 ]; then
  echo "cfn-lint: no template under apps/infra/cdk.out/: run \`npm run synth\` first" >&2
  exit 1
fi
"$venv/bin/cfn-lint" --version
# Exit status is non-zero on any error or warning not ignored in .cfnlintrc.yaml.
"$venv/bin/cfn-lint" "${templates[@]}"
echo "cfn-lint: ${templates[*]}: no error, no warning"
