#!/usr/bin/env bash
# `sgreach can` on the Batfish snapshots: the answers EXPECTED.md gives
# (tests/e2e/can_batfish.txt), its exit code, and the JSON's verdict field.
exec bash "$SRC/tests/e2e/lib/can_cases.sh" "$SRC/tests/e2e/can_batfish.txt" "$CORPUS/batfish-aws" Batfish
