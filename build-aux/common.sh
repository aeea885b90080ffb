# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by build-aux/run and build-aux/test: install what is missing with the
# platform's package manager, configure into build/, build. Sourced, not run.

SOCKSCOPE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SOCKSCOPE_BUILD="$SOCKSCOPE_ROOT/build"

say() { printf '%s\n' "$*" >&2; }
die() { say "$(basename "$0"): $*"; exit 1; }

# Run a command as root: directly when we are root, through sudo otherwise
# (can_install_as_root has said which, or that neither is possible).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

can_install_as_root() {
  [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1 \
    || die "cannot install packages: not root and no sudo. Install these yourself: $*"
}

# The packages each platform needs, by what they are for. The apt branch is
# verified on Debian 12; the dnf, pacman and Homebrew branches are written
# from those distributions' package names and not verified.
# librsvg2-common is the SVG loader that draws every icon of the app; Debian
# only recommends it, and recommendations are not installed here.
packages_apt_build="meson ninja-build pkg-config gcc libc6-dev libglib2.0-dev libglib2.0-dev-bin
  libglib2.0-bin libgtk-4-dev libadwaita-1-dev libjson-glib-dev gettext desktop-file-utils appstream
  dconf-gsettings-backend adwaita-icon-theme librsvg2-common fonts-cantarell python3"
packages_apt_test="xvfb xauth dbus dbus-x11 at-spi2-core python3-pyatspi gir1.2-atspi-2.0
  python3-gi imagemagick x11-utils xdotool socat ncat netcat-openbsd curl
  clang libclang-rt-dev llvm dnsmasq-base iproute2 tshark"

packages_dnf_build="meson ninja-build pkgconf-pkg-config gcc glib2-devel gtk4-devel
  libadwaita-devel json-glib-devel gettext desktop-file-utils appstream dconf adwaita-icon-theme librsvg2
  abattis-cantarell-fonts python3"
packages_dnf_test="xorg-x11-server-Xvfb xorg-x11-xauth dbus-daemon dbus-x11 at-spi2-core
  python3-pyatspi python3-gobject ImageMagick xev xdotool socat nmap-ncat netcat curl
  clang compiler-rt llvm wireshark-cli"

packages_pacman_build="meson ninja pkgconf gcc glib2 gtk4 libadwaita json-glib gettext
  desktop-file-utils appstream dconf adwaita-icon-theme librsvg cantarell-fonts python"
packages_pacman_test="xorg-server-xvfb xorg-xauth dbus at-spi2-core python-atspi
  python-gobject imagemagick xorg-xev xdotool socat nmap openbsd-netcat curl
  clang compiler-rt llvm wireshark-cli"

packages_brew_build="meson ninja pkg-config glib gtk4 libadwaita json-glib gettext
  desktop-file-utils
  appstream adwaita-icon-theme librsvg python3"
packages_brew_test="dbus at-spi2-core pygobject3 imagemagick socat nmap netcat curl llvm wireshark"

detect_package_manager() {
  if [ "$(uname -s)" = Darwin ]; then
    echo brew
    return
  fi
  if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    . /etc/os-release
    case " ${ID:-} ${ID_LIKE:-} " in
      *" debian "*|*" ubuntu "*) echo apt; return ;;
      *" fedora "*|*" rhel "*|*" centos "*) echo dnf; return ;;
      *" arch "*) echo pacman; return ;;
    esac
  fi
  for pm in apt-get dnf pacman brew; do
    if command -v "$pm" >/dev/null 2>&1; then
      echo "${pm%-get}"
      return
    fi
  done
  echo unknown
}

# install_dependencies build|test: install what that purpose needs and is
# missing; a second run finds everything and asks no package manager.
install_dependencies() {
  local purpose=$1 pm wanted missing=() pkg
  pm=$(detect_package_manager)

  wanted="$(eval echo "\${packages_${pm}_build:-}")"
  if [ "$purpose" = test ]; then
    wanted="$wanted $(eval echo "\${packages_${pm}_test:-}")"
  fi

  case "$pm" in
    apt)
      for pkg in $wanted; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
      done
      if [ ${#missing[@]} -gt 0 ]; then
        can_install_as_root "${missing[*]}"
        say "Installing with apt: ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        # tshark asks whether ordinary users may capture; the tests only read files.
        echo "wireshark-common wireshark-common/install-setuid boolean false" \
          | as_root debconf-set-selections 2>/dev/null || true
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
          "${missing[@]}" >/dev/null || die "apt-get install failed for: ${missing[*]}"
      fi
      ;;
    dnf) # not verified
      for pkg in $wanted; do rpm -q "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
      if [ ${#missing[@]} -gt 0 ]; then
        can_install_as_root "${missing[*]}"
        say "Installing with dnf (not verified): ${missing[*]}"
        as_root dnf install -y "${missing[@]}" || die "dnf install failed for: ${missing[*]}"
      fi
      ;;
    pacman) # not verified
      for pkg in $wanted; do pacman -Q "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
      if [ ${#missing[@]} -gt 0 ]; then
        can_install_as_root "${missing[*]}"
        say "Installing with pacman (not verified): ${missing[*]}"
        as_root pacman -S --needed --noconfirm "${missing[@]}" \
          || die "pacman -S failed for: ${missing[*]}"
      fi
      ;;
    brew) # not verified; Homebrew refuses to run as root, so no as_root here
      for pkg in $wanted; do brew list --versions "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
      if [ ${#missing[@]} -gt 0 ]; then
        say "Installing with Homebrew (not verified): ${missing[*]}"
        brew install "${missing[@]}" || die "brew install failed for: ${missing[*]}"
      fi
      ;;
    *)
      say "No known package manager here: make sure meson, a C compiler, GTK 4.8+,"
      say "libadwaita 1.2+ and GLib 2.74+ development files are installed."
      ;;
  esac
}

# Configure build/ once; later runs let ninja reconfigure only when a
# meson.build changed. CI builds with warnings as errors.
configure_and_build() {
  local werror=false
  [ "${CI:-}" = true ] && werror=true

  if [ ! -f "$SOCKSCOPE_BUILD/build.ninja" ]; then
    meson setup "$SOCKSCOPE_BUILD" "$SOCKSCOPE_ROOT" -Dwerror=$werror >/dev/null \
      || meson setup --wipe "$SOCKSCOPE_BUILD" "$SOCKSCOPE_ROOT" -Dwerror=$werror \
      || die "meson setup failed"
  elif [ "$werror" = true ]; then
    meson configure "$SOCKSCOPE_BUILD" -Dwerror=true >/dev/null || die "meson configure failed"
  fi
  # Quiet when it works; when it fails, once more to show why.
  meson compile -C "$SOCKSCOPE_BUILD" >/dev/null \
    || meson compile -C "$SOCKSCOPE_BUILD" || die "the build failed"
}

# The second build, with AddressSanitizer, UndefinedBehaviorSanitizer and
# LeakSanitizer (gcc's runtimes), that build-aux/test runs the unit, widget
# and end-to-end suites in again; tests/sanitizers/ has its suppressions.
SOCKSCOPE_SANITIZE_BUILD="$SOCKSCOPE_ROOT/build-sanitize"
configure_and_build_sanitized() {
  if [ ! -f "$SOCKSCOPE_SANITIZE_BUILD/build.ninja" ]; then
    meson setup "$SOCKSCOPE_SANITIZE_BUILD" "$SOCKSCOPE_ROOT" -Dwerror=true \
      -Db_sanitize=address,undefined -Db_lundef=false >/dev/null \
      || meson setup --wipe "$SOCKSCOPE_SANITIZE_BUILD" "$SOCKSCOPE_ROOT" -Dwerror=true \
        -Db_sanitize=address,undefined -Db_lundef=false \
      || die "meson setup of the sanitized build failed"
  fi
  meson compile -C "$SOCKSCOPE_SANITIZE_BUILD" >/dev/null \
    || meson compile -C "$SOCKSCOPE_SANITIZE_BUILD" || die "the sanitized build failed"
}

# The benchmarks' own build, optimised as users' builds are (the default
# build is meson's debug, -O0): build-aux/test --benchmark runs them here.
SOCKSCOPE_BENCH_BUILD="$SOCKSCOPE_ROOT/build-bench"
configure_and_build_bench() {
  if [ ! -f "$SOCKSCOPE_BENCH_BUILD/build.ninja" ]; then
    meson setup "$SOCKSCOPE_BENCH_BUILD" "$SOCKSCOPE_ROOT" --buildtype=debugoptimized \
      -Dwerror=true >/dev/null \
      || meson setup --wipe "$SOCKSCOPE_BENCH_BUILD" "$SOCKSCOPE_ROOT" \
        --buildtype=debugoptimized -Dwerror=true \
      || die "meson setup of the benchmark build failed"
  fi
  meson compile -C "$SOCKSCOPE_BENCH_BUILD" >/dev/null \
    || meson compile -C "$SOCKSCOPE_BENCH_BUILD" || die "the benchmark build failed"
}

# What the app needs to run from the build tree, without installing.
uninstalled_environment() {
  export GSETTINGS_SCHEMA_DIR="$SOCKSCOPE_BUILD/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
  export SOCKSCOPE_DATA_DIR="$SOCKSCOPE_BUILD/data"
}
