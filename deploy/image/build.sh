#!/usr/bin/env bash
# Builds Pod Studio's image with buildah, without a registry (deploy/README.md, "The image").
#
# 1. A Debian root file system made by mmdebstrap from Debian's mirror, cached in
#    $PODSTUDIO_IMAGE_CACHE (default ~/.cache/podstudio-image) and made again when older than
#    PODSTUDIO_ROOTFS_MAX_AGE_DAYS (default 7), so security updates arrive.
# 2. A base image: that file system added to an empty (`scratch`) image.
# 3. deploy/image/Containerfile on top of it, with buildah's layer cache.
#
# RUN steps use chroot isolation (no runc; works inside containers and VMs; BUILDAH_ISOLATION
# overrides it). Images go to buildah's default storage, whose driver containers-storage picks:
# overlay where the kernel allows it, else vfs (`driver = "vfs"` in storage.conf forces it).
# Prints the image name last.
set -euo pipefail
cd "$(dirname "$0")/../.."

export BUILDAH_ISOLATION="${BUILDAH_ISOLATION:-chroot}"
version=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
image="${PODSTUDIO_IMAGE:-localhost/podstudio:$version}"
cache="${PODSTUDIO_IMAGE_CACHE:-$HOME/.cache/podstudio-image}"
max_age_days="${PODSTUDIO_ROOTFS_MAX_AGE_DAYS:-7}"

for tool in buildah mmdebstrap; do
  command -v "$tool" >/dev/null 2>&1 || { echo "image: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done

suite=bookworm
packages=python3,python3-venv,ca-certificates
mirrors=(
  "deb http://deb.debian.org/debian $suite main"
  "deb http://deb.debian.org/debian $suite-updates main"
  "deb http://deb.debian.org/debian-security $suite-security main"
)
# Only what a running Python program needs: no documentation, manual pages or translations.
dpkg_options=(
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
)
recipe=$(printf '%s\n' "$suite" "$packages" "${mirrors[@]}" "${dpkg_options[@]}" | sha256sum | cut -c1-12)
rootfs="$cache/rootfs-$suite-$recipe.tar"

mkdir -p "$cache"
if [ -f "$rootfs" ] && [ -n "$(find "$rootfs" -mtime +"$max_age_days")" ]; then
  echo "image: $rootfs is older than $max_age_days days; making it again" >&2
  rm -f "$rootfs"
fi
if [ ! -f "$rootfs" ]; then
  echo "image: making the Debian $suite root file system (mmdebstrap, about a minute)" >&2
  # The essential variant has no apt and no shell tools beyond the essentials; merged /usr
  # without the usrmerge package (and the Perl it pulls in).
  partial="$cache/partial-$recipe.tar"  # mmdebstrap picks the output format by its extension
  if ! mmdebstrap --variant=essential --include="$packages" \
      --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr "${dpkg_options[@]}" \
      "$suite" "$partial" "${mirrors[@]}" >"$cache/mmdebstrap.log" 2>&1; then
    tail -n 30 "$cache/mmdebstrap.log" >&2
    echo "image: mmdebstrap failed; full log in $cache/mmdebstrap.log" >&2
    exit 1
  fi
  mv "$partial" "$rootfs"
fi

# The base image is named after the file system's content: a new file system, a new base, and
# every cached layer above it is rebuilt.
base="localhost/podstudio-base:$suite-$(sha256sum "$rootfs" | cut -c1-12)"
if ! buildah inspect --type image "$base" >/dev/null 2>&1; then
  container=$(buildah from scratch)
  trap 'buildah rm "$container" >/dev/null 2>&1 || true' EXIT
  buildah add "$container" "$rootfs" / >/dev/null
  buildah config --created-by "mmdebstrap $suite: $packages" "$container"
  buildah commit --quiet --rm "$container" "$base" >/dev/null
  trap - EXIT
fi

# The build machine's CA bundle, for the package index behind a TLS-inspecting proxy.
ca_bundle="${PODSTUDIO_IMAGE_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
secret=()
if [ -s "$ca_bundle" ]; then secret=(--secret "id=ca,src=$ca_bundle"); fi

buildah build --layers --force-rm --quiet "${secret[@]}" \
  --file deploy/image/Containerfile --ignorefile deploy/image/containerignore \
  --build-arg BASE_IMAGE="$base" --tag "$image" . >/dev/null

# Layers of earlier builds that no image uses any more (vfs keeps a full copy of each).
buildah rmi --prune >/dev/null 2>&1 || true
echo "$image"
