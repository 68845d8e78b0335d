#!/usr/bin/env bash
# `sgreach can` on the fixture estates: every verdict fixtures/README.md states
# (tests/e2e/can_fixtures.txt), its exit code, and the JSON's verdict field.
exec bash "$SRC/tests/e2e/lib/can_cases.sh" "$SRC/tests/e2e/can_fixtures.txt" "$SRC/fixtures" fixture
