#!/usr/bin/env bash
# check step: the suite attacked (scripts/attack.py): a daemon killed mid-run, mockenv killed,
# reports/ full or read-only, SIGTERM/SIGHUP at random points on a simulated real guest, a
# racer of another uid during the perms suite, option values with blanks or missing. Every
# try must end as a trustworthy suite ends (non-zero with BROK, errno named, no configfs entry
# left, no fd for the racer, usage error within a second). Runs before 50-suites so that the
# reports/ left by make check are the full matrix's. Budget: about 3 minutes.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then echo "attack: needs root (mount namespaces, FUSE, another uid): not run"; exit 77; fi
exec python3 scripts/attack.py --rounds "${ATTACK_ROUNDS:-3}"
