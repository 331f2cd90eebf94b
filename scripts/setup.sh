# setup.sh - sourced by scripts/check and scripts/demo: installs what is missing (as root)
# or names it (otherwise), then builds out of tree. Sets $top.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

# Debian 12 packages: build tools, libraries (through pkg-config), the server, test tools
# (prometheus for promtool, which checks `status --prometheus`; its daemon is not used).
MO_PACKAGES="gcc make autoconf automake autoconf-archive pkg-config libpq-dev libcsv-dev
 libxml2-dev libjson-c-dev libncurses-dev libreadline-dev libcmocka-dev libssl-dev postgresql-15
 postgresql-client-15 tmux python3 locales-all prometheus"

missing_packages() {
    for p in $MO_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$p"
    done
}

install_missing() {
    missing=$(missing_packages)
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ]; then
        echo "==> installing: $missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
        # The Debian package starts a cluster of its own; ours is private, so stop theirs.
        if command -v pg_ctlcluster >/dev/null 2>&1; then pg_ctlcluster 15 main stop 2>/dev/null || true; fi
    else
        echo "Missing Debian packages. Run as root:" >&2
        echo "  apt-get install -y $missing" >&2
        exit 2
    fi
}

# build DIR [configure args...] - configure once, then make.
build() {
    dir=$1; shift
    cd "$top"
    if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
        echo "==> autoreconf"
        autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
    fi
    mkdir -p "$top/$dir"
    cd "$top/$dir"
    if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
        echo "==> configure ($dir) $*"
        ../configure -q "$@"
    fi
    echo "==> make ($dir)"
    make -s -j"$(nproc)"
    cd "$top"
}

# The server refuses to run as root, and a private data directory must be reachable by
# the user it runs as, so the sandbox lives under /tmp unless told otherwise.
MO_SANDBOX=${METEROPS_SANDBOX:-/tmp/meterops-demo-$(id -un)}
