# Sourced by jlink/container-test.sh and deploy/kubernetes/kube-play-test.sh: podman without a
# registry or a Docker engine, as root. Each function takes what it needs as arguments; none
# changes a system file. Those that report something leave one line in $podman_env_report (a
# command substitution would hide their failure from set -e).
#
# Podman 4.3 from Debian needs runc and explicit ulimits here (crun fails on setrlimit and on
# hybrid cgroups); podman_env sets both through a private CONTAINERS_CONF.

# podman_env WORKDIR: installs podman, runc, python3 and curl from Debian when missing
# (apt-get update first) and exports CONTAINERS_CONF=WORKDIR/containers.conf.
podman_env() {
    local tool missing=()
    for tool in podman:podman runc:runc python3:python3-minimal curl:curl; do
        command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "podman-env: installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" fuse-overlayfs uidmap >/dev/null
    fi
    export CONTAINERS_CONF="$1/containers.conf"
    cat >"$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=8192:8192"]
[engine]
runtime = "runc"
CONF
}

# ensure_jlink_image ROOT: builds ROOT/target/image (./mvnw package) when it is missing.
ensure_jlink_image() {
    [ -x "$1/target/image/bin/java" ] && return 0
    echo "podman-env: no target/image yet, building it (./mvnw package)"
    # shellcheck source=../bin/lib/jdk.sh
    . "$1/bin/lib/jdk.sh"
    find_jdk
    (cd "$1" && ./mvnw -B -ntp -q -DskipTests package)
}

# make_base_image ROOT ROOTFS_DIR IMAGE: a glibc-only base from the host's Debian files (the
# libraries ldd lists for the runtime, /etc/passwd with nonroot 65532, nsswitch.conf, an empty
# /tmp), imported as IMAGE; reports its size.
make_base_image() {
    local root="$1" rootfs="$2" image="$3" libs lib
    mkdir -p "$rootfs/etc" "$rootfs/tmp"
    chmod 1777 "$rootfs/tmp"
    libs=$(ldd "$root/target/image/bin/java" "$root/target/image/lib/server/libjvm.so" "$root/target/image/lib/"*.so 2>/dev/null |
        awk '$2 == "=>" && $3 ~ /^\// && $3 !~ /target\/image/ {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u)
    for lib in $libs; do
        mkdir -p "$rootfs$(dirname "$lib")"
        cp -L "$lib" "$rootfs$lib"
    done
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rootfs/etc/passwd"
    printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
    printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
    tar -C "$rootfs" -c . | podman import -q - "$image" >/dev/null
    podman_env_report="base $image: $(du -sh "$rootfs" | cut -f1) ($(echo "$libs" | wc -w) libraries from the host)"
}

# build_gateway_image ROOT BASE_IMAGE IMAGE: podman build of the Containerfile (docker format,
# which keeps the HEALTHCHECK); reports the build time and the image size.
build_gateway_image() {
    local root="$1" base="$2" image="$3" build_started
    build_started=$(date +%s%N)
    podman build -q --format docker --build-arg BASE_IMAGE="$base" \
        --build-arg REVISION="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
        -t "$image" -f "$root/Containerfile" "$root" >/dev/null
    podman_env_report="podman build: $(( ($(date +%s%N) - build_started) / 1000000 )) ms, image $(podman image inspect -f '{{.Size}}' "$image" | awk '{printf "%.1f MB", $1/1e6}')"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
