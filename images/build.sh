#!/usr/bin/env bash
# Builds the project's image without a Docker daemon or Docker Hub: first a base image from pinned Debian
# packages (mmdebstrap; versions in images/base.env, file times from its SOURCE_DATE_EPOCH), then the
# operator/worker image on it with podman from images/Containerfile (the base is a build argument).
#
#   ./mvnw -B package -DskipTests && images/build.sh [TAG]      # prints the image reference last
#   images/build.sh --cuda [TAG]    # the CUDA worker image, TAG-cuda: the same, plus libtorch with CUDA
#
# The CUDA image takes PyTorch's wheels from PyPI (images/pytorch-cuda.txt: versions and hashes; pip
# downloads them for one fixed platform, whatever Python runs pip) and unpacks only their shared libraries,
# laid out as in site-packages so torch's RPATH finds the nvidia-* ones, into a second build context.
#
# Needs root (or a user podman can run for), podman, runc and mmdebstrap:
#   apt-get install podman buildah mmdebstrap runc
# The base's root file system is cached under $UNLEARNING_IMAGE_CACHE (default ~/.cache/unlearning-operator/
# images), keyed by base.env's digest; podman's own store keeps the images.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cuda=0
if [[ "${1:-}" == --cuda ]]; then cuda=1; shift; fi
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

if [[ "$cuda" == 0 ]]; then
  image="localhost/unlearning-operator:$tag"
  "${podman_[@]}" build "${ulimits[@]}" --pull=never --build-arg BASE="$base" -f "$here/Containerfile" \
    -t "$image" "$root" >&2
  echo "$image"
  exit 0
fi

pins_id="$(sha256sum "$here/pytorch-cuda.txt" | cut -c1-12)"
libs_id="$(cat "$here/pytorch-cuda.txt" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)"   # this script lays them out
wheels="$cache/pytorch-cuda-wheels-$pins_id" libs="$cache/pytorch-cuda-$libs_id"
if [[ ! -d "$libs" ]]; then
  command -v python3 >/dev/null || { echo "[images] the CUDA image needs python3 with pip (apt-get install python3-pip)" >&2; exit 1; }
  echo "[images] downloading PyTorch's CUDA wheels (about 2.7 GB) into $wheels" >&2
  python3 -m pip download --quiet --no-deps --require-hashes --only-binary=:all: --python-version 3.11 \
    --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 \
    --platform manylinux_2_17_x86_64 --platform manylinux2010_x86_64 --platform manylinux_2_12_x86_64 \
    -r "$here/pytorch-cuda.txt" -d "$wheels" >&2
  rm -rf "$libs.partial" && mkdir -p "$libs.partial/lazy"
  for wheel in "$wheels"/*.whl; do
    python3 - "$wheel" "$libs.partial" <<'PY'
import sys, zipfile
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        parts = name.split("/")
        # torch/lib, nvidia/<package>/lib, cusparselt/lib (where torch's RPATH looks): libraries only, no
        # Python, headers or binaries.
        if not (len(parts) >= 3 and parts[-2] == "lib" and parts[0] in ("torch", "nvidia", "cusparselt")
                and ".so" in parts[-1]) or parts[-1] == "libtorch_python.so":
            continue
        if parts[-1] == "libcaffe2_nvrtc.so":
            # DJL loads every library in torch/lib at start, and this one needs the GPU driver (libcuda.so.1),
            # so on a node without one nothing would load. libtorch opens it by name only when it compiles a
            # kernel at run time: it lives beside, on LD_LIBRARY_PATH (Containerfile.cuda).
            with z.open(name) as src, open(target + "/lazy/" + parts[-1], "wb") as dst:
                dst.write(src.read())
            continue
        z.extract(name, target)
PY
  done
  mv "$libs.partial" "$libs"
fi
image="localhost/unlearning-operator:$tag-cuda"
"${podman_[@]}" build "${ulimits[@]}" --pull=never --build-arg BASE="$base" --build-context pytorch="$libs" \
  -f "$here/Containerfile.cuda" -t "$image" "$root" >&2
echo "$image"
