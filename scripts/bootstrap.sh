#!/usr/bin/env bash
# Prepare a development/test machine for the zhicheng project.
#
#   scripts/bootstrap.sh          system packages + .venv for `make run`
#   scripts/bootstrap.sh --test   additionally PostgreSQL and Redis for `make test`
#
# Idempotent and fast when nothing changed:
#   * Debian packages are checked with dpkg-query; apt-get (and apt-get update)
#     only runs when something is missing.
#   * `.venv` is created only when missing or broken.
#   * `pip install -e ".[dev]"` only runs when pyproject.toml changed since the
#     last successful install (sha256 stamp kept in .venv/.bootstrap-stamp).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_TEST=0
for arg in "$@"; do
    case "$arg" in
        --test) WITH_TEST=1 ;;
        -h|--help)
            sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
            exit 0 ;;
        *) echo "bootstrap: unknown argument: $arg (usage: $0 [--test])" >&2; exit 2 ;;
    esac
done

log() { printf '==> %s\n' "$*"; }
die() { printf 'bootstrap: ERROR: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when root, via sudo when available.
SUDO=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
fi
can_be_root() { [ "$(id -u)" -eq 0 ] || [ "${#SUDO[@]}" -gt 0 ]; }

# --------------------------------------------------------------------------
# 1. Debian packages
# --------------------------------------------------------------------------
# Required packages (always).
REQUIRED=(python3 python3-venv python3-dev gcc make gettext fontconfig fonts-noto-cjk
          libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b)
# Installed when the distribution provides them (WeasyPrint font subsetting).
OPTIONAL=(libharfbuzz-subset0)
if [ "$WITH_TEST" -eq 1 ]; then
    REQUIRED+=(postgresql postgresql-client redis-server redis-tools poppler-utils libnss3-tools chromium)  # poppler-utils: pdftotext/pdfsig in PDF tests; libnss3-tools: certutil for the seal-trust test; chromium: browser journeys (tests/journeys)
fi

is_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    log "dpkg not found (not a Debian-based system?); skipping system package checks."
    log "Make sure these are installed: ${REQUIRED[*]} ${OPTIONAL[*]}"
else
    apt_has() {  # does the (local) apt cache offer an installable candidate?
        local c
        c="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')"
        [ -n "$c" ] && [ "$c" != "(none)" ]
    }
    missing=()
    for p in "${REQUIRED[@]}"; do is_installed "$p" || missing+=("$p"); done
    # Optional packages only count if apt knows them; unknown ones are re-checked
    # after `apt-get update` when that runs anyway, otherwise skipped (keeps
    # repeated runs fast on releases that lack them).
    missing_opt=()
    for p in "${OPTIONAL[@]}"; do is_installed "$p" || missing_opt+=("$p"); done
    want_opt=()
    for p in "${missing_opt[@]}"; do apt_has "$p" && want_opt+=("$p"); done

    if [ "${#missing[@]}" -gt 0 ] || [ "${#want_opt[@]}" -gt 0 ]; then
        need=("${missing[@]}" "${want_opt[@]}")
        manual="apt-get install --no-install-recommends ${need[*]}"
        if ! command -v apt-get >/dev/null 2>&1; then
            die "apt-get is not available; please install these Debian packages (or equivalents) yourself: ${need[*]}"
        fi
        if ! can_be_root; then
            die "missing packages: ${need[*]}; not root and sudo is unavailable. Run as root: ${manual}"
        fi
        log "Installing missing system packages: ${need[*]}"
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            || die "apt-get update failed; install manually: ${manual}"
        install=("${missing[@]}")
        for p in "${missing_opt[@]}"; do
            if apt_has "$p"; then
                install+=("$p")
            else
                log "Optional package $p is not available here; skipping."
            fi
        done
        if [ "${#install[@]}" -gt 0 ]; then
            "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq --no-install-recommends "${install[@]}" \
                || die "apt-get install failed for: ${install[*]}; install them manually: apt-get install --no-install-recommends ${install[*]}"
        fi
        still=()
        for p in "${install[@]}"; do is_installed "$p" || still+=("$p"); done
        [ "${#still[@]}" -eq 0 ] || die "packages still not installed: ${still[*]}"
        if [[ " ${install[*]} " == *" fonts-noto-cjk "* ]] && command -v fc-cache >/dev/null 2>&1; then
            fc-cache -f >/dev/null 2>&1 || true
        fi
    fi
fi

# --------------------------------------------------------------------------
# 2. Virtualenv
# --------------------------------------------------------------------------
VENV="$ROOT/.venv"
STAMP="$VENV/.bootstrap-stamp"

pick_python() {
    local c
    for c in python3.11 python3; do
        if command -v "$c" >/dev/null 2>&1 \
            && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            command -v "$c"; return 0
        fi
    done
    return 1
}

venv_ok() {
    [ -x "$VENV/bin/python" ] \
        && "$VENV/bin/python" -c 'import sys, pip; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}

if ! venv_ok; then
    PYTHON="$(pick_python)" || die "Python >= 3.11 not found (install the python3 package)."
    if [ -e "$VENV" ]; then
        log "Existing .venv is broken or too old; recreating it."
        rm -rf "$VENV"
    fi
    log "Creating .venv with $PYTHON ($("$PYTHON" --version 2>&1))"
    "$PYTHON" -m venv "$VENV" || die "could not create .venv (is python3-venv installed?)"
fi

want_stamp="$( { sha256sum pyproject.toml; echo 'extras=dev'; "$VENV/bin/python" -VV; } | sha256sum | cut -d' ' -f1)"
have_stamp="$(cat "$STAMP" 2>/dev/null || true)"

if [ "$want_stamp" != "$have_stamp" ]; then
    log "Installing Python dependencies (pyproject.toml changed or first run)"
    rm -f "$STAMP"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip \
        || die "pip upgrade failed"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -e ".[dev]" \
        || die "pip install -e \".[dev]\" failed"
    echo "$want_stamp" > "$STAMP"
else
    log "Python dependencies up to date (.venv)"
fi

log "Bootstrap complete."
