# SPDX-License-Identifier: Apache-2.0
# Shared by the scenario scripts (sourced): safe, self-cleaning, root only.
set -eu
[ "$(id -u)" = 0 ] || { echo "$0: run as root" >&2; exit 1; }
say() { echo "scenario $(basename "$0" .sh): $*"; }
