#!/usr/bin/env bash
# Builds the project's image without a Docker daemon or Docker Hub: first a base image from pinned Debian
# packages (mmdebstrap; versions in images/base.env, file times from its SOURCE_DATE_EPOCH), then the
# operator/worker image on it with podman from images/Containerfile (the base is a build argument).
#
#   ./mvnw -B package -DskipTests && images/build.sh [TAG]      # prints the image reference last
#
# Needs root (or a user podman can run for), podman, runc and mmdebstrap:
#   apt-get install podman buildah mmdebstrap runc
# The base's root file system is cached under $UNLEARNING_IMAGE_CACHE (default ~/.cache/unlearning-operator/
# images), keyed by base.env's digest; podman's own store keeps the images.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
tag="${1:-dev}"
cache="${UNLEARNING_IMAGE_CACHE:-$HOME/.cache/unlearning-operator/images}"
# runc, not crun: crun refuses a hybrid cgroup layout. The sandbox these builds run in cannot raise rlimits,
# so RUN steps get limits at or below the hard ones.
podman_=(podman --runtime /usr/sbin/runc)
ulimits=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)

for tool in podman mmdebstrap /usr/sbin/runc; do
  command -v "$tool" >/dev/null || { echo "[images] $tool is missing: apt-get install podman buildah mmdebstrap runc" >&2; exit 1; }
done
[ -r "$root/target/quarkus-app/quarkus-run.jar" ] || { echo "[images] build the app first: ./mvnw -B package -DskipTests" >&2; exit 1; }

# shellcheck source=base.env
source "$here/base.env"
base_id="$(sha256sum "$here/base.env" | cut -c1-12)"
base="localhost/unlearning-base:$base_id"
if ! "${podman_[@]}" image exists "$base"; then
  rootfs="$cache/base-$base_id.tar"
  if [ ! -s "$rootfs" ]; then
    mkdir -p "$cache"
    echo "[images] building the base root file system from Debian $DEBIAN_SUITE packages" >&2
    # Docs, man pages and locales are left out (dpkg path-exclude); man1 must exist for the JRE's
    # update-alternatives. apt's lists and caches are removed: the image never runs apt.
    SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" mmdebstrap --variant=minbase \
      --include="openjdk-17-jre-headless=$JRE_VERSION,libgomp1=$LIBGOMP_VERSION,ca-certificates=$CA_CERTIFICATES_VERSION" \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
      --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*' \
      "$DEBIAN_SUITE" "${rootfs%.tar}.partial.tar" /etc/apt/sources.list.d/debian.sources >&2
    mv "${rootfs%.tar}.partial.tar" "$rootfs"
  fi
  "${podman_[@]}" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    "$rootfs" "$base" >&2
fi

image="localhost/unlearning-operator:$tag"
"${podman_[@]}" build "${ulimits[@]}" --pull=never --build-arg BASE="$base" -f "$here/Containerfile" \
  -t "$image" "$root" >&2
echo "$image"
